"""benchmarks/RESULTS.md holds one current section per benchmark; HISTORY.md the runs before.

Each section sits between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` (NAME: the
benchmark's module, e.g. ``bench_latency``). A benchmark's ``--record`` rewrites its own
section (:func:`record`) and moves the one it replaces to the end of HISTORY.md, so RESULTS.md
shows today's figures and nothing is lost.

A section appended the old way (a bare ``## title`` at the end, with its ``- Command:`` line)
is folded in by

    python -m benchmarks.results_file

which keeps the newest section of each benchmark (by its ``- Date:`` line) in RESULTS.md and
moves the others, and any section that names no benchmark, to HISTORY.md in date order.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
HISTORY = HERE / "HISTORY.md"
RESULTS_HEAD = """# Benchmark results

One section per benchmark: its latest run, as its `--record` wrote it (the command, the machine
and the date are in the section). Each `--record` rewrites its own section and moves the one it
replaces to [HISTORY.md](HISTORY.md). Targets (issue 7) are goals recorded here, not test
assertions. Figures compare within one run (ratios to a baseline or a peer measured in the same
run): the machines are shared 2-core cloud machines.
"""
HISTORY_HEAD = """# Benchmark history

Earlier runs of the benchmarks, oldest first, each as it was recorded; the current run of each
is in [RESULTS.md](RESULTS.md).
"""
_MARKER = re.compile(r"^<!-- (/?)bench:([\w.-]+) -->\s*$")
_BENCH = re.compile(r"benchmarks\.(bench_\w+)")
_DATE = re.compile(r"^- Dates?: (\d{4}-\d{2}-\d{2})(?:[ ,T]+(\d{2}:\d{2}))?", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class Section:
    """One ``## `` section: ``key`` is its benchmark (None: it names none), ``text`` the
    section from its heading on, without markers or trailing blank lines."""

    key: str | None
    text: str

    @property
    def date(self) -> str:
        """``YYYY-MM-DD HH:MM`` of its ``- Date:`` line ('' when it has none)."""
        found = _DATE.search(self.text)
        return f"{found.group(1)} {found.group(2) or '00:00'}" if found else ""


def key_of(text: str) -> str | None:
    """The benchmark a section names first in its lines before the table (its command)."""
    head = text.split("\n\n|", 1)[0]
    found = _BENCH.search(head)
    return found.group(1) if found else None


def parse(text: str) -> tuple[str, list[Section]]:
    """The part before the first section, and the sections (marked or not) in file order."""
    head: list[str] = []
    sections: list[tuple[str | None, list[str]]] = []
    marked: str | None = None
    for line in text.splitlines():
        marker = _MARKER.match(line)
        if marker:
            marked = None if marker.group(1) else marker.group(2)
            continue
        if line.startswith("## "):
            sections.append((marked, [line]))
        elif sections:
            sections[-1][1].append(line)
        else:
            head.append(line)
    return "\n".join(head).strip() + "\n", [
        Section(key or key_of("\n".join(lines)), "\n".join(lines).strip())
        for key, lines in sections]


def render(head: str, sections: list[Section]) -> str:
    parts = [head.rstrip() + "\n"]
    for section in sections:
        key = section.key
        parts.append(f"\n<!-- bench:{key} -->\n{section.text}\n<!-- /bench:{key} -->\n"
                     if key else f"\n{section.text}\n")
    return "".join(parts)


def fold(results: Path = RESULTS, history: Path = HISTORY) -> tuple[int, int]:
    """Leave the newest section of each benchmark in ``results`` and move the rest to the end
    of ``history`` (oldest first). Returns (sections kept, sections moved)."""
    _, sections = parse(results.read_text(encoding="utf-8"))
    newest: dict[str, Section] = {}
    for section in sections:
        if section.key and (section.key not in newest
                            or section.date >= newest[section.key].date):
            newest[section.key] = section
    kept = [s for s in sections if s.key and newest[s.key] is s]
    moved = sorted((s for s in sections if not (s.key and newest[s.key] is s)),
                   key=lambda s: s.date)
    results.write_text(render(RESULTS_HEAD, kept), encoding="utf-8")
    _append_history(history, moved)
    return len(kept), len(moved)


def record(key: str, text: str, results: Path = RESULTS, history: Path = HISTORY) -> None:
    """Put ``text`` (a section, from its ``## `` heading on) as ``key``'s current section in
    ``results``, in the place of the one it had (which goes to ``history``), else at the end."""
    head, sections = parse(results.read_text(encoding="utf-8")) if results.exists() \
        else (RESULTS_HEAD, [])
    new = Section(key, text.strip())
    replaced = [s for s in sections if s.key == key]
    if replaced:
        at = sections.index(replaced[0])
        sections = [s for s in sections if s.key != key]
        sections.insert(at, new)
    else:
        sections.append(new)
    results.write_text(render(head, sections), encoding="utf-8")
    _append_history(history, replaced)


def _append_history(history: Path, sections: list[Section]) -> None:
    if not sections:
        return
    text = history.read_text(encoding="utf-8") if history.exists() else HISTORY_HEAD
    history.write_text(text.rstrip() + "\n" + "".join(f"\n{s.text}\n" for s in sections),
                       encoding="utf-8")


if __name__ == "__main__":
    kept, moved = fold()
    print(f"kept {kept} sections, moved {moved} to HISTORY.md")
