"""Ctrl+C and SIGTERM in the terminal commands are stamped when they arrive, not when the main
thread next runs Python: a replay stopped during a decode stops where the user stopped it."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import zlib

import pytest

from whispertrans_tray.cli.signals import StopSignals

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="os.kill SIGTERM ends the process")


def test_a_signal_during_a_long_native_call_is_stamped_when_it_came() -> None:
    data = os.urandom(40_000_000)  # zlib releases the GIL: the main thread is "in a decode"
    sent: list[float] = []

    def send() -> None:
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGTERM)

    with StopSignals() as signals:
        timer = threading.Timer(0.2, send)
        timer.start()
        zlib.compress(data, 9)
        returned = time.perf_counter()
        timer.join()
        assert signals.stop.is_set()
        assert signals.stop.at is not None
    assert signals.signum == signal.SIGTERM
    assert returned - sent[0] > 0.5, "the native call ended too soon to tell: make it longer"
    # stamped near the signal, long before the Python-level handler could run
    assert signals.stop.at - sent[0] < (returned - sent[0]) / 2


def test_a_second_signal_interrupts_at_once_and_the_handlers_are_restored() -> None:
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), StopSignals() as signals:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        assert signals.stop.is_set()
        assert signals.exit_code == 130
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    assert signal.getsignal(signal.SIGINT) is before
    assert signal.set_wakeup_fd(-1) == -1, "the wakeup socket was left installed"
