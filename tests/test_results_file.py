"""benchmarks/RESULTS.md: one current section per benchmark, rewritten by ``--record``; the
runs before kept in benchmarks/HISTORY.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks import results_file
from benchmarks.results_file import HISTORY, RESULTS, fold, parse, record


def section(title: str, bench: str, date: str, figure: str) -> str:
    return (f"## {title}\n\n- Command: `python -m benchmarks.{bench} --record`\n"
            f"- Machine: Linux, 2 cores\n- Date: {date} UTC\n\n| figure |\n|---|\n| {figure} |\n")


def test_record_rewrites_its_own_section_and_keeps_the_one_before_in_the_history(
        tmp_path: Path) -> None:
    results, history = tmp_path / "RESULTS.md", tmp_path / "HISTORY.md"
    record("bench_a", section("A", "bench_a", "2026-12-01 10:00", "a1"), results, history)
    record("bench_b", section("B", "bench_b", "2026-12-01 11:00", "b1"), results, history)
    assert not history.exists()
    record("bench_a", section("A", "bench_a", "2026-12-07 10:00", "a2"), results, history)
    _, sections = parse(results.read_text("utf-8"))
    assert [(s.key, s.date) for s in sections] == [("bench_a", "2026-12-07 10:00"),
                                                   ("bench_b", "2026-12-01 11:00")]
    text = results.read_text("utf-8")
    assert "| a2 |" in text and "| a1 |" not in text
    assert text.count("<!-- bench:bench_a -->") == 1 and "<!-- /bench:bench_a -->" in text
    assert "| a1 |" in history.read_text("utf-8")
    record("bench_a", section("A", "bench_a", "2026-12-08 10:00", "a3"), results, history)
    old = history.read_text("utf-8")
    assert old.index("| a1 |") < old.index("| a2 |")  # oldest first, nothing dropped


def test_fold_keeps_the_newest_of_each_benchmark_and_moves_the_rest(tmp_path: Path) -> None:
    """Sections appended the old way (no markers, in any order) are folded in by date; a
    section naming no benchmark goes to the history."""
    results, history = tmp_path / "RESULTS.md", tmp_path / "HISTORY.md"
    results.write_text("# Benchmark results\n\nold preamble\n\n"
                       + section("A", "bench_a", "2026-12-02 09:00", "newest a") + "\n"
                       + section("A", "bench_a", "2026-12-01 09:00", "older a") + "\n"
                       + "## Where the figures stand\n\n- Date: 2026-11-30\n\nprose\n\n"
                       + section("B", "bench_b", "2026-12-01 12:00", "only b"), "utf-8")
    assert fold(results, history) == (2, 2)
    _, kept = parse(results.read_text("utf-8"))
    assert [(s.key, s.date) for s in kept] == [("bench_a", "2026-12-02 09:00"),
                                               ("bench_b", "2026-12-01 12:00")]
    old = history.read_text("utf-8")
    assert old.index("prose") < old.index("| older a |")
    assert fold(results, history) == (2, 0)  # folding again changes nothing


def test_the_repository_results_have_one_section_per_benchmark() -> None:
    """Run ``python -m benchmarks.results_file`` after merging sections appended the old
    way."""
    head, sections = parse(RESULTS.read_text("utf-8"))
    keys = [s.key for s in sections]
    assert None not in keys and len(keys) == len(set(keys)), keys
    marked = RESULTS.read_text("utf-8").count("<!-- bench:")
    assert marked == len(sections), "a section without markers: fold it in"
    benches = {p.stem for p in Path(results_file.__file__).parent.glob("bench_*.py")}
    assert set(keys) <= benches
    assert HISTORY.read_text("utf-8").startswith("# Benchmark history")
    assert head.startswith("# Benchmark results")
