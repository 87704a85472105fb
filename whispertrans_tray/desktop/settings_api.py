"""The settings window's ``js_api``: only settings calls, nothing else reaches the page.

Every method takes and returns plain JSON-able values.  The page never writes files itself:
:meth:`SettingsApi.save` validates the whole form (messages keyed by the dotted field, shown
next to it), writes ``settings.json`` atomically and stores the API key in the OS keyring.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from whispertrans_tray import credentials
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.languages import LANGUAGES
from whispertrans_tray.errors import WhisperTransError

log = logging.getLogger(__name__)


class SettingsApi:
    """Exposed to the page as ``window.pywebview.api``."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self.saved = 0  # how many times the user saved

    def get(self) -> dict[str, Any]:
        """Current settings, provider presets and the choices of the select fields."""
        result = settings_mod.load(self._path)
        return {
            "settings": settings_mod.to_dict(result.settings),
            "problems": result.by_field(),
            "presets": {k: dataclasses.asdict(p) for k, p in settings_mod.PRESETS.items()},
            "targets": list(LANGUAGES),
            "has_key": bool(credentials.stored()),
        }

    def validate(self, data: dict[str, Any]) -> dict[str, str]:
        """Messages for the invalid fields of ``data``, keyed by dotted field name."""
        messages = settings_mod.from_dict(data).by_field()
        url = (data.get("translation") or {}).get("url", "")
        if isinstance(url, str) and "translation.url" not in messages:
            from whispertrans_tray.providers.translate_openai import base_url

            try:
                base_url(url)
            except WhisperTransError as exc:
                messages["translation.url"] = exc.message(data.get("ui_language", "zh-TW"))
        messages.update(_hotkey_messages(data.get("hotkeys"), data.get("ui_language", "zh-TW")))
        return messages

    def save(self, data: dict[str, Any], api_key: str | None = None) -> dict[str, Any]:
        """Validate and save; ``api_key`` None keeps the stored key, "" removes it."""
        errors = self.validate(data)
        if errors:
            return {"ok": False, "errors": errors}
        result = settings_mod.from_dict(data)
        try:
            settings_mod.save(result.settings, self._path)
            if api_key is not None:
                credentials.store(api_key)
        except Exception as exc:  # a keyring or disk problem is shown, not raised
            message = exc.message(result.settings.ui_language) \
                if isinstance(exc, WhisperTransError) else str(exc)
            return {"ok": False, "errors": {"": message}}
        self.saved += 1
        print("saved", flush=True)  # the parent process may listen for this
        return {"ok": True, "errors": {}}

    def test_connection(self, data: dict[str, Any], api_key: str | None = None) \
            -> dict[str, Any]:
        """測試連線 with the values in the form (not yet saved)."""
        from whispertrans_tray import connection_test

        errors = self.validate(data)
        if "translation.url" in errors:
            return {"ok": False, "message": errors["translation.url"], "models": []}
        settings = settings_mod.from_dict(data).settings
        report = connection_test.run(settings.translation, api_key or credentials.stored(),
                                     settings.ui_language)
        return {"ok": report.ok, "message": report.message, "sample": report.sample,
                "models": list(report.models)}


def _hotkey_messages(hotkeys: Any, language: str) -> dict[str, str]:
    """Field messages for hotkeys that are malformed or clash with another action's."""
    from whispertrans_tray.desktop.hotkey_notation import check
    from whispertrans_tray.errors import HotkeyError
    from whispertrans_tray.i18n import tr

    if not isinstance(hotkeys, dict):
        return {}
    # empty = no hotkey; a wrong type is reported by the settings check
    entries = [(name, hotkey) for name, hotkey in hotkeys.items()
               if isinstance(hotkey, str) and hotkey]
    checked = check(((hotkey, tr("hotkey.action." + name, language)) for name, hotkey in entries),
                    language)
    messages: dict[str, str] = {}
    for (name, hotkey), (canonical, reason) in zip(entries, checked):
        if canonical is None:  # malformed: the whole sentence, naming the hotkey
            messages[f"hotkeys.{name}"] = HotkeyError(hotkey=hotkey, detail=reason).message(
                language)
        elif reason:
            messages[f"hotkeys.{name}"] = reason
    return messages
