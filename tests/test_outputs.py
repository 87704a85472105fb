"""The fan-out of subtitle lines to sinks (app/outputs.py)."""

from __future__ import annotations

import threading

from whispertrans_tray.app.outputs import LineEvent, Outputs


class Collect:
    def __init__(self) -> None:
        self.events: list[LineEvent] = []
        self.closed = False
        self._lock = threading.Lock()

    def publish(self, event: LineEvent) -> None:
        with self._lock:
            self.events.append(event)

    def close(self) -> None:
        self.closed = True


class Broken:
    def publish(self, event: LineEvent) -> None:
        raise OSError("peer gone")

    def close(self) -> None:
        raise OSError("peer gone")


def test_every_sink_gets_every_event_even_beside_a_broken_one() -> None:
    first, last = Collect(), Collect()
    outputs = Outputs([first, Broken()])
    outputs.add(last)
    events = [LineEvent("partial", 0, "ask"), LineEvent("sentence", 0, "Ask not.", "en", 1.0, 2.0),
              LineEvent("translation", 0, "不要問。", "zh-TW", 1.0, 2.0)]
    for event in events:
        outputs.publish(event)
    outputs.close()
    assert first.events == events and last.events == events
    assert first.closed and last.closed


def test_publishing_from_many_threads_while_sinks_change_loses_nothing() -> None:
    steady, passing = Collect(), Collect()
    outputs = Outputs([steady])

    def publish(worker: int) -> None:
        for n in range(200):
            outputs.publish(LineEvent("sentence", worker * 1000 + n, "x"))

    threads = [threading.Thread(target=publish, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(50):
        outputs.add(passing)
        outputs.remove(passing)
    for thread in threads:
        thread.join()
    assert sorted(e.id for e in steady.events) == sorted(
        w * 1000 + n for w in range(4) for n in range(200))
    assert passing not in outputs.sinks
