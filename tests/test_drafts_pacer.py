"""The draft line's pacing (core/drafts.py): at most one visible change a second, never an
older draft after a newer one, the final always removes the draft."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from whispertrans_tray.core.drafts import MIN_CHANGE_S, DraftPacer


def test_first_draft_shows_at_once_then_waits_its_turn() -> None:
    pacer = DraftPacer()
    assert pacer.offer(3, "你好", 10.0)
    assert pacer.text == "你好"
    assert not pacer.offer(3, "你好嗎", 10.4)  # too soon: waits
    assert pacer.text == "你好"
    wait = pacer.due(10.4)
    assert wait is not None and abs(wait - 0.6) < 1e-9
    assert not pacer.offer(3, "你好嗎？", 10.6)  # replaces the waiting one
    assert not pacer.tick(10.9)
    assert pacer.tick(11.0)
    assert pacer.text == "你好嗎？"  # the newest, never the one it replaced
    assert pacer.changes == 2
    assert pacer.due(11.0) is None


def test_final_removes_the_draft_at_once_and_older_drafts_stay_away() -> None:
    pacer = DraftPacer()
    pacer.offer(0, "第一句", 0.0)
    pacer.offer(0, "第一句話", 0.5)  # waiting
    assert pacer.final(0, 0.6)
    assert pacer.text == "" and pacer.waiting is None
    assert not pacer.offer(0, "遲到的草稿", 3.0)  # its sentence is final: never again
    assert pacer.text == ""
    assert not pacer.offer(1, "下一句", 1.0)  # a change right after the removal waits
    assert pacer.tick(1.6)
    assert pacer.text == "下一句"


def test_same_words_are_no_rewrite_and_clear_starts_over() -> None:
    pacer = DraftPacer()
    pacer.offer(5, "一樣", 0.0)
    assert not pacer.offer(5, " 一樣 ", 2.0)
    assert pacer.changes == 1
    assert pacer.clear()
    assert pacer.text == ""
    assert pacer.offer(0, "新的一段", 2.1)  # a new recording counts from 0 again


ops = st.lists(st.tuples(st.sampled_from(["offer", "final", "tick"]),
                         st.integers(0, 4),  # sentence index
                         st.floats(0.0, 1.5)),  # seconds since the previous op
               max_size=60)


@settings(max_examples=300, deadline=None)
@given(ops)
def test_paced_never_older_final_wins(steps: list[tuple[str, int, float]]) -> None:
    pacer = DraftPacer()
    now = 0.0
    last_change: float | None = None  # last visible change (removals included)
    last_serial = 0
    finals: set[int] = set()
    for n, (op, index, dt) in enumerate(steps):
        now += dt
        before = pacer.shown
        if op == "offer":
            changed = pacer.offer(index, f"草稿{n}", now)
        elif op == "final":
            changed = pacer.final(index, now)
            finals |= set(range(index + 1))
        else:
            changed = pacer.tick(now)
        after = pacer.shown
        assert changed == ((before.text if before else "") != (after.text if after else ""))
        if after is not None and after is not before:
            # a new text: at most once a second, and only ever newer than what was shown
            if changed and last_change is not None:
                assert now - last_change >= MIN_CHANGE_S - 1e-9
            assert after.serial > last_serial
            last_serial = after.serial
            assert after.index not in finals  # a finished sentence's draft never returns
        if op == "final":
            assert after is None or after.index > index  # the final replaced the draft
        if changed:
            last_change = now


def test_draft_due_waits_for_steady_line_and_gap() -> None:
    from whispertrans_tray.core.drafts import GAP_S, STEADY_S, draft_due
    assert draft_due(10.0, 0.0, None) == 10.0 + STEADY_S  # an old line: once steady
    assert draft_due(10.0, 9.5, None) == 9.5 + GAP_S  # a line just begun: 2 s after
    assert draft_due(10.0, 0.0, 9.0) == 9.0 + GAP_S  # a draft just sent: 2 s after it
