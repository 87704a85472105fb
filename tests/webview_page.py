"""What the settings-window drivers (tests/webview_driver.py, tests/webview_models_driver.py)
share: the real window (pywebview, GTK WebKit2) on a settings API, a :class:`Page` to run
JavaScript in and wait on, and the report of what was seen: one JSON object on stdout, with
``error`` when a step failed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any


class Page:
    """The settings page in ``window``; :meth:`wait` polls every ``every`` seconds for at most
    ``timeout`` seconds unless told otherwise."""

    def __init__(self, window: Any, timeout: float, every: float) -> None:
        self.window, self.timeout, self.every = window, timeout, every

    def js(self, code: str) -> Any:
        return self.window.evaluate_js(code)

    def wait(self, code: str, timeout: float | None = None) -> Any:
        """The first truthy value of ``code``; TimeoutError when none came in time."""
        end = time.monotonic() + (self.timeout if timeout is None else timeout)
        while time.monotonic() < end:
            value = self.js(code)
            if value:
                return value
            time.sleep(self.every)
        raise TimeoutError(code)


def drive(api: Any, steps: Callable[[Page, dict[str, Any]], None], timeout: float,
          every: float) -> None:
    """Open the settings window on ``api`` and run ``steps(page, seen)`` on pywebview's
    thread; print ``seen`` as JSON and close the window however they end."""
    import webview

    from whispertrans_tray.desktop.settings_window import create_window

    window: Any = create_window(api)
    page = Page(window, timeout, every)
    seen: dict[str, Any] = {}

    def run() -> None:
        try:
            steps(page, seen)
        except Exception as exc:
            seen["error"] = repr(exc)
        finally:
            print(json.dumps(seen, ensure_ascii=False), flush=True)
            window.destroy()

    webview.start(run, gui="gtk")
