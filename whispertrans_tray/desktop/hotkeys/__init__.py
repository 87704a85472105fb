"""Global hotkeys: the ``keyboard`` package on Windows, pynput on Linux/X11 and macOS.

(``keyboard`` needs root and /dev/input on Linux.)  Settings write hotkeys in pynput notation
(``<ctrl>+<alt>+r``, see :mod:`~whispertrans_tray.desktop.hotkeys.notation`); each backend
module (``pynput``, ``keyboard``: a :class:`HotkeyBackend`, chosen once by
:func:`backend`) converts them.

A hotkey that cannot be registered is reported: :meth:`Hotkeys.start` registers every valid
hotkey, then raises :class:`~whispertrans_tray.errors.HotkeyError` naming the ones that failed
and why (in the UI language).  Callbacks run on the backend's thread and must only post to the
app's queue.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from whispertrans_tray.desktop.hotkeys.notation import check
from whispertrans_tray.errors import HotkeyError
from whispertrans_tray.i18n import DEFAULT_UI_LANGUAGE, Phrase, phrase_text

log = logging.getLogger(__name__)


class HotkeyBackend(Protocol):
    """A per-OS global hotkey implementation (a module: ``pynput``, ...)."""

    def register(self, bindings: Mapping[str, Callable[[], None]]) -> Any:
        """Start delivering ``bindings`` (canonical notation); returns a handle; raises
        :class:`HotkeyError` when the OS refuses."""
        ...

    def unregister(self, handle: Any) -> None:
        """Stop what :meth:`register` started and wait briefly for its thread."""
        ...

    def alive(self, handle: Any) -> bool:
        """Whether ``handle`` still delivers key events."""
        ...


@functools.cache
def backend() -> HotkeyBackend:
    """``keyboard`` on Windows, ``pynput`` elsewhere (chosen once).

    The backends are imported here, not at the top: each pulls in its OS's key library, and
    only one of them can load on a given OS.
    """
    if sys.platform == "win32":
        from whispertrans_tray.desktop.hotkeys import keyboard

        return keyboard
    from whispertrans_tray.desktop.hotkeys import pynput

    return pynput


class Hotkeys:
    """Global hotkeys ``bindings`` (settings notation → callback) until :meth:`stop`.

    ``bindings`` is a mapping or a sequence of pairs; pairs keep two actions given the same
    keys apart, so the clash is reported instead of one action silently winning.  ``labels``
    (parallel to ``bindings``) name the actions in that report.

    Any thread may construct it; :meth:`start` and :meth:`stop` are called by the app (on Tk's
    thread); callbacks run on the backend's listener thread.
    """

    def __init__(self, bindings: Mapping[str, Callable[[], None]]
                 | Iterable[tuple[str, Callable[[], None]]],
                 language: str = DEFAULT_UI_LANGUAGE,
                 labels: Sequence[str] | None = None) -> None:
        pairs = list(bindings.items() if isinstance(bindings, Mapping) else bindings)
        names = list(labels) if labels is not None else [k for k, _ in pairs]
        self.bindings = [(k, v) for k, v in pairs if k]
        self._labels = [name for (k, _), name in zip(pairs, names) if k]
        self.language = language
        self.failed: dict[str, str] = {}
        """Hotkeys that could not be registered, with the reason."""
        self.handle: Any = None
        """The backend's handle while registered (see :meth:`HotkeyBackend.alive`)."""

    def start(self) -> None:
        """Register every valid hotkey; then raise :class:`HotkeyError` if any failed."""
        valid: dict[str, Callable[[], None]] = {}
        self.failed = {}
        checked = check(((hotkey, label) for (hotkey, _), label
                         in zip(self.bindings, self._labels)), self.language)
        for (hotkey, callback), (canonical, reason) in zip(self.bindings, checked):
            if reason or canonical is None:
                self.failed[hotkey] = reason
            else:
                valid[canonical] = callback
        if valid:
            try:
                self.handle = backend().register(valid)
            except HotkeyError as exc:
                detail = exc.params["detail"]
                why = (phrase_text(detail, self.language) if isinstance(detail, Phrase)
                       else str(detail))
                self.failed.update(dict.fromkeys(valid, why))
        for hotkey, reason in self.failed.items():
            log.warning("Hotkey %s not registered: %s", hotkey, reason)
        if self.failed:
            raise HotkeyError(hotkey=", ".join(self.failed),
                              detail="; ".join(dict.fromkeys(self.failed.values())))
        log.info("Hotkeys registered: %s", ", ".join(valid))

    def stop(self) -> None:
        """Unregister the hotkeys (safe to call twice or without :meth:`start`)."""
        if self.handle is not None:
            handle, self.handle = self.handle, None
            backend().unregister(handle)
