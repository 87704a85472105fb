"""pynput global hotkeys (Linux/X11, macOS): one ``GlobalHotKeys`` listener thread.

On X11 pynput listens through the RECORD extension, so it sees keys without grabbing them;
under Wayland it only sees keys typed into X (XWayland) windows.  pynput's ``wait()`` returns
just before it asks the X server to start recording, so a key pressed right after that (a slow
or starved machine widens the gap to a second or more) was missed: :func:`register` returns
once the server said it records (its first reply, StartOfData).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from whispertrans_tray.errors import HotkeyError
from whispertrans_tray.i18n import Phrase

log = logging.getLogger(__name__)

RECORDING_TIMEOUT_S = 20.0  # a starved machine; past it the keys come when they come


def register(bindings: Mapping[str, Callable[[], None]]) -> Any:
    """Start a listener for ``bindings`` (pynput notation); returns it for :func:`unregister`."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        raise HotkeyError(hotkey=", ".join(bindings), detail=Phrase.of("cause.no_display_set"))
    unavailable = Phrase.of("cause.no_key_listener")
    try:
        from pynput import keyboard
    except ImportError as exc:  # pynput found no usable backend (no X server, …)
        log.info("pynput has no keyboard backend here: %r", exc)
        raise HotkeyError(hotkey=", ".join(bindings), detail=unavailable) from exc
    try:
        listener = keyboard.GlobalHotKeys(dict(bindings))
        recording = _watch_recording(listener, keyboard.Listener.__module__)
        listener.start()
        listener.wait()
        _wait_recording(listener, recording)
    except Exception as exc:  # any backend failure is reported, not fatal
        log.info("The key listener did not start: %r", exc)
        raise HotkeyError(hotkey=", ".join(bindings), detail=unavailable) from exc
    if not listener.is_alive():
        log.warning("The key listener stopped at once")
        raise HotkeyError(hotkey=", ".join(bindings), detail=unavailable)
    return listener


def _watch_recording(listener: Any, module: str) -> threading.Event | None:
    """An event set at the X server's first RECORD reply (StartOfData: it now records keys);
    None where pynput does not listen through RECORD (macOS) or its internals changed."""
    handler = getattr(listener, "_handler", None)
    if not module.endswith("_xorg") or not callable(handler):
        return None
    recording = threading.Event()

    def first_reply(*args: Any) -> Any:
        recording.set()
        return handler(*args)

    listener._handler = first_reply  # looked up by pynput's thread when it enables recording
    return recording


def _wait_recording(listener: Any, recording: threading.Event | None) -> None:
    if recording is None:
        return
    end = time.monotonic() + RECORDING_TIMEOUT_S
    while not recording.wait(0.05):
        if not listener.is_alive():
            return  # reported by the caller
        if time.monotonic() > end:
            log.warning("The X server has not started sending keys after %.0f s",
                        RECORDING_TIMEOUT_S)
            return


def unregister(listener: Any) -> None:
    """Stop the listener and wait briefly for its thread.

    pynput's X11 listener asks the server to end recording on the very connection its thread
    is blocked reading, so the thread would only notice at the next key press; ending the
    recording from its second connection (as pynput itself does on exit) wakes it now.
    """
    listener.stop()
    display = getattr(listener, "_display_stop", None)
    context = getattr(listener, "_context", None)
    if display is not None and context is not None:
        try:
            display.record_disable_context(context)
            display.flush()
        except Exception as exc:  # the thread may have closed it already
            log.debug("Hotkey listener already stopped: %s", exc)
    listener.join(1.0)
    if listener.is_alive():
        log.warning("The hotkey listener thread did not stop")


def alive(listener: Any) -> bool:
    """Whether the listener thread still runs."""
    return bool(listener.is_alive())
