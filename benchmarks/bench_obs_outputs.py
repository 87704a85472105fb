"""What OBS's text source and the live text file cost the live path, and how soon a line shows.

A real OBS Studio (Debian's obs-studio 29, obs-websocket 5) runs under Xvfb
(``tests/obs_studio.py``); the live file is written to a temporary folder.

1. Publish cost: a session's events (per sentence: four partials, the sentence, three
   streaming translation updates and the final one) published back to back to
   :class:`Outputs` with no sink (the baseline, as when OBS and the live file are off) and
   with both sinks on; rounds interleaved.  Reported: microseconds per ``publish`` (mean,
   p99) and the ratio to the baseline: what the recognition and translation threads pay.
2. Delivery: sentences published every ``--every`` seconds; the time from ``publish`` until
   OBS acknowledged ``SetInputSettings`` for a text holding it, and until the live file was
   replaced with it (p50, p95).

    python -m benchmarks.bench_obs_outputs [--sentences 2000] [--rounds 3] [--record]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import arguments, percentile, publish

PASSWORD = "bench-password"


def session(sentences: int):  # type: ignore[no-untyped-def]
    from whispertrans_tray.app.outputs import LineEvent

    words = ["ask", "not", "what", "your", "country", "can", "do", "for", "you", "ask",
             "what", "you", "can", "do"]
    events = []
    for n in range(sentences):
        text = " ".join(words[: 4 + n % 9])
        for k in range(1, 5):
            events.append(LineEvent("partial", n, text[: len(text) * k // 5]))
        events.append(LineEvent("sentence", n, text, "en", n * 3.0, n * 3.0 + 2.5))
        zh = "不要問國家能為你做什麼，要問你能為國家做什麼"[: 6 + n % 15]
        for k in range(1, 4):
            events.append(LineEvent("translation", n, zh[: len(zh) * k // 4], "zh",
                                    done=False))
        events.append(LineEvent("translation", n, zh, "zh"))
    return events


def publish_cost(outputs, events, pause: float) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds each publish took (``pause`` seconds between two publishes)."""
    took = []
    clock = time.perf_counter
    for event in events:
        start = clock()
        outputs.publish(event)
        took.append(clock() - start)
        if pause:
            time.sleep(pause)
    return took


def both_delivered(first, second, timeout: float = 30.0) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Poll both every 0.2 ms; the perf_counter time each became true."""
    end = time.perf_counter() + timeout
    times: list[float | None] = [None, None]
    while None in times:
        now = time.perf_counter()
        for n, done in enumerate((first, second)):
            if times[n] is None and done():
                times[n] = now
        if now > end:
            raise TimeoutError("not delivered")
        time.sleep(0.0002)
    return times[0] or 0.0, times[1] or 0.0


def wait_until(done, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    """Poll ``done`` every 0.2 ms; the perf_counter time it became true."""
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("not delivered")
        time.sleep(0.0002)
    return time.perf_counter()


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--delivered", type=int, default=100, help="sentences timed to OBS")
    parser.add_argument("--every", type=float, default=0.2)
    args = parser.parse_args()

    from tests.obs_studio import TEXT_SOURCE, ObsStudio
    from whispertrans_tray.app.live_file import LiveFile, Registry
    from whispertrans_tray.app.obs_output import ObsOutput
    from whispertrans_tray.app.outputs import LineEvent, Outputs
    from whispertrans_tray.providers.obs_websocket import ObsConnection
    from whispertrans_tray.settings import ObsSettings

    events = session(args.sentences)
    with tempfile.TemporaryDirectory() as folder:
        studio = ObsStudio(Path(folder) / "home", PASSWORD)
        studio.start()
        try:
            def sinks() -> tuple[ObsOutput, LiveFile]:
                obs = ObsOutput.start_new(
                    ObsSettings(enabled=True, url=studio.url, source=TEXT_SOURCE),
                    lambda: ObsConnection(studio.url, PASSWORD), print, "en")
                wait_until(lambda: obs.connected)
                live = LiveFile.open(Path(folder) / "live.txt", 2, print, "en",
                                     Registry(Path(folder) / "registry.json"))
                return obs, live

            rows = ["| events | sinks | publishes | µs per publish: p50 | p99 | mean | "
                    "p50 ratio to none |", "|---|---|---|---|---|---|---|"]
            for pace, pause, some in (("back to back", 0.0, events),
                                      ("100 per second", 0.01, events[:900])):
                cost: dict[str, list[float]] = {"none": [], "OBS + live file": []}
                for _ in range(args.rounds):
                    cost["none"] += publish_cost(Outputs(), some, pause)
                    obs, live = sinks()
                    outputs = Outputs([obs, live])
                    cost["OBS + live file"] += publish_cost(outputs, some, pause)
                    outputs.close()
                base = percentile(cost["none"], 0.5)
                for name, took in cost.items():
                    rows.append(
                        f"| {pace} | {name} | {len(took)} | "
                        f"{percentile(took, 0.5) * 1e6:.1f} | "
                        f"{percentile(took, 0.99) * 1e6:.1f} | "
                        f"{statistics.mean(took) * 1e6:.1f} | "
                        f"{percentile(took, 0.5) / base:.1f} |")

            obs, live = sinks()
            outputs = Outputs([obs, live])
            to_obs, to_file = [], []
            for n in range(args.delivered):
                text = f"Sentence number {n} of the delivery run."
                start = time.perf_counter()
                outputs.publish(LineEvent("sentence", n, text))
                seen_obs, seen_file = both_delivered(lambda: text in obs.delivered,  # noqa: B023
                                                     lambda: text in live.delivered)  # noqa: B023
                to_obs.append(seen_obs - start)
                to_file.append(seen_file - start)
                time.sleep(args.every)
            outputs.close()
        finally:
            studio.close()
    rows += ["", "| publish → | sentences | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|"]
    for name, took in (("OBS text source set", to_obs), ("live file replaced", to_file)):
        rows.append(f"| {name} | {len(took)} | {percentile(took, 0.5) * 1e3:.1f} | "
                    f"{percentile(took, 0.95) * 1e3:.1f} | {max(took) * 1e3:.1f} |")
    notes = (f"Back to back: {args.sentences} sentences × 9 events per round; 100 per second: "
             f"the first 100 sentences' 900 events, 10 ms apart (live speech makes about 10 "
             f"a second); {args.rounds} rounds each, none and both sinks interleaved; the "
             "sinks' threads write OBS and the file while the publishes run (back to back, "
             "they contend for the GIL with the publishing thread: the p99 and mean). "
             "Delivery: OBS acknowledged SetInputSettings (the text source holds the line), "
             "the live file replaced (os.replace done); polled every 0.2 ms.")
    publish("\n".join(rows), args.record,
            "OBS text source and live text file: cost on the live path (bench_obs_outputs)",
            notes)


if __name__ == "__main__":
    main()
