"""What the local feed costs the live path: ``Outputs.publish`` with no sink, with the feed and
no client, one client, and 100 clients reading ``/events`` (real HTTP, in another process so
their reading does not share this one's interpreter); and how late the events reach them.

The live path calls ``publish`` from its recognition and translation threads: the cost that
matters is that call's time, as a ratio to the feed with no client, same run.  Latency is
publish → the line read by a client (the last of the 100), as a ratio to one client.

    python -m benchmarks.bench_feed [--events 400] [--clients 100] [--paces 50,20,5] [--record]
"""

from __future__ import annotations

import json
import selectors
import socket
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import arguments, percentile, publish
from whispertrans_tray.app.outputs import LineEvent, Outputs
from whispertrans_tray.feed.server import FeedServer
from whispertrans_tray.settings import FeedSettings, OverlaySettings

PACES_MS = "50,20,5"
"""Events every 50 ms (20 a second: partials, sentences and streamed translation tokens of a
fast talk), 20 ms and 5 ms (200 a second, a stress)."""
TEXT = " and so, my fellow Americans, ask not what your country can do for you"


def readers(port: int, count: int, events: int) -> None:
    """Child process: ``count`` SSE readers on one selector thread; prints, for each event,
    the latency (ms) of the first and of the last reader to get it."""
    selector = selectors.DefaultSelector()
    got: dict[int, list[float]] = {}
    buffers: dict[socket.socket, bytes] = {}
    done = 0
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
        buffers[sock] = b""
    print("ready", flush=True)
    deadline = time.monotonic() + 600
    while done < count and time.monotonic() < deadline:
        for key, _ in selector.select(1.0):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            data = sock.recv(65536)
            now = time.perf_counter_ns()
            if not data:
                selector.unregister(sock)
                done += 1
                continue
            lines = (buffers[sock] + data).split(b"\n")
            buffers[sock] = lines.pop()
            for line in lines:
                if line.startswith(b"data: "):
                    event = json.loads(line[6:])
                    sent = int(event["text"].split(" ", 1)[0])
                    got.setdefault(event["id"], []).append((now - sent) / 1e6)
                    if event["id"] == events - 1 and len(got[event["id"]]) == count:
                        done = count
    first = [min(v) for v in got.values()]
    last = [max(v) for v in got.values() if len(v) == count]
    print(json.dumps({"first": first, "last": last, "complete": len(last)}), flush=True)


def run_condition(events: int, clients: int | None, pace_s: float) -> dict[str, Any]:
    """Publish ``events``, one every ``pace_s``; ``clients`` None: no sink at all."""
    feed = None
    outputs = Outputs()
    child = None
    if clients is not None:
        feed = FeedServer(FeedSettings(enabled=True, port=0), OverlaySettings(), "en")
        feed.start()
        outputs.add(feed)
        if clients:
            child = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_feed",
                                      "--readers", str(feed.port), str(clients), str(events)],
                                     stdout=subprocess.PIPE, text=True)
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            while feed.clients < clients:
                time.sleep(0.01)
    costs: list[float] = []
    next_at = time.perf_counter()
    for n in range(events):
        next_at += pace_s
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        event = LineEvent("sentence", n, f"{time.perf_counter_ns()}{TEXT}", "en", n, n + 1)
        started = time.perf_counter_ns()
        outputs.publish(event)
        costs.append((time.perf_counter_ns() - started) / 1000)
    result: dict[str, Any] = {"costs": costs}
    if child is not None:
        out, _ = child.communicate(timeout=600)
        result.update(json.loads(out.strip().splitlines()[-1]))
    if feed is not None:
        result["dropped"] = feed.dropped
        feed.close()
    return result


def main() -> int:
    if sys.argv[1:2] == ["--readers"]:
        readers(*(int(x) for x in sys.argv[2:5]))
        return 0
    parser = arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=400, help="events per case")
    parser.add_argument("--clients", type=int, default=100, help="readers of the busy case")
    parser.add_argument("--paces", default=PACES_MS, help="ms between events, per round")
    args = parser.parse_args()
    rows = ["| pace | case | publish p50 (µs) | p99 (µs) | p50 / no client | p99 / no client "
            "| to the last reader p50 (ms) | p99 (ms) | p50 / 1 client | dropped |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for pace in args.paces.split(","):
        rows += pace_rows(args.events, args.clients, float(pace))
    publish("\n".join(rows), args.record, "The local feed: 100 clients and the live path "
            "(bench_feed)",
            f"{args.events} events per case, published through Outputs as the live path does; "
            "readers in another process (raw sockets, one selector). Latency: publish → the "
            "line read by the last reader.")
    return 0


def pace_rows(events: int, clients: int, pace_ms: float) -> list[str]:
    conditions = [("no sink", None), ("feed, no client", 0), ("feed, 1 client", 1),
                  (f"feed, {clients} clients", clients)]
    results = {name: run_condition(events, count, pace_ms / 1000)
               for name, count in conditions}
    base = percentile(results["feed, no client"]["costs"], 0.5)
    base99 = percentile(results["feed, no client"]["costs"], 0.99)
    one = results["feed, 1 client"]
    rows = []
    for name, _ in conditions:
        r = results[name]
        p50, p99 = percentile(r["costs"], 0.5), percentile(r["costs"], 0.99)
        latency = ""
        if "last" in r:
            l50, l99 = percentile(r["last"], 0.5), percentile(r["last"], 0.99)
            ratio = l50 / percentile(one["last"], 0.5)
            latency = f"{l50:.2f} | {l99:.2f} | {ratio:.2f} | {r['dropped']}"
            if r["complete"] != events:
                latency += f" (only {r['complete']} events reached every reader)"
        else:
            latency = "– | – | – | –"
        rows.append(f"| {pace_ms:g} ms | {name} | {p50:.1f} | {p99:.1f} | {p50 / base:.2f} | "
                    f"{p99 / base99:.2f} | {latency} |")
    return rows


if __name__ == "__main__":
    sys.exit(main())
