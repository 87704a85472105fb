"""Overlay placement across monitor layouts (pure functions, no screen needed)."""

from __future__ import annotations

from whispertrans_tray.desktop.overlay.geometry import clamp, fit_on_monitors, layout_key

LAPTOP = (0, 0, 1920, 1080)
RIGHT_SCREEN = (1920, 0, 2560, 1440)


def test_layout_names_tell_single_and_multi_monitor_setups_apart() -> None:
    assert layout_key([LAPTOP]) == "1920x1080"
    assert layout_key([RIGHT_SCREEN, LAPTOP]) == "1920x1080+0+0;2560x1440+1920+0"
    assert layout_key([LAPTOP, RIGHT_SCREEN]) == layout_key([RIGHT_SCREEN, LAPTOP])


def test_window_left_on_an_unplugged_monitor_comes_back_onto_one_that_exists() -> None:
    # saved on the right-hand screen, which is gone now
    assert fit_on_monitors(3000, 1200, 900, 200, [LAPTOP]) == (1020, 880, 900, 200)


def test_window_straddling_two_monitors_moves_onto_the_one_it_overlaps_most() -> None:
    x, y, w, h = fit_on_monitors(1700, 100, 800, 200, [LAPTOP, RIGHT_SCREEN])
    assert (x, y, w, h) == (1920, 100, 800, 200)  # 580 px on the right screen vs 220


def test_window_larger_than_the_monitor_shrinks_to_fit() -> None:
    assert fit_on_monitors(-50, -50, 2500, 1300, [LAPTOP]) == (0, 0, 1920, 1080)


def test_clamp_keeps_the_whole_window_on_screen() -> None:
    assert clamp(-10, 5000, 300, 100, 1600, 900) == (0, 800)
    assert clamp(100, 100, 300, 100, 1600, 900) == (100, 100)
