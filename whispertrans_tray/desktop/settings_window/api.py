"""The settings window's ``js_api``: only settings calls, nothing else reaches the page.

Every method takes and returns plain JSON-able values.  The page never writes files itself:
:meth:`SettingsApi.save` validates the whole form (messages keyed by the dotted field, shown
next to it), then saves the settings and the API key and calls ``on_saved`` (the window
process tells the app).  The shell touches no file, keyring or server itself: loading, saving,
the URL check and 測試連線 are handed in (:class:`FormServices`).
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from whispertrans_tray import causes
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.languages import LANGUAGES
from whispertrans_tray.desktop import autostart
from whispertrans_tray.desktop.hotkeys.notation import check
from whispertrans_tray.desktop.qr import qr_png
from whispertrans_tray.errors import HotkeyError, WhisperTransError
from whispertrans_tray.i18n import tr
from whispertrans_tray.presets import PRESETS
from whispertrans_tray.settings import AsrSettings, ObsSettings, TranslationSettings

log = logging.getLogger(__name__)


class ModelServices(Protocol):
    """The model manager (installed Whisper models, downloads), as JSON-able answers with
    messages in the UI ``language`` the page asks in."""

    def listing(self, language: str) -> dict[str, Any]: ...
    def start(self, name: str, language: str) -> dict[str, Any]: ...
    def status(self, language: str) -> dict[str, Any]: ...
    def cancel(self) -> None: ...
    def wait(self, timeout: float) -> bool: ...
    def remove(self, name: str, language: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FormServices:
    """What the form needs from outside the shell, handed in by the composition root.

    Attributes:
        load: The settings as saved, with the problems found loading them.
        save: Writes the settings and the API key (None keeps the stored key, "" removes
            it); raises what went wrong.
        stored_key: The stored API key of the first endpoint (``""``) or of the fallback at
            a URL, or None.
        check_url: Raises a :class:`WhisperTransError` naming the problem with an API URL.
        test_connection: 測試連線 of every endpoint for ``(settings, one API key per endpoint,
            UI language)``: a JSON-able dict with ``ok``, ``message`` (a line per endpoint),
            ``sample``, ``models`` and ``warning`` (an API key goes unencrypted to another
            computer; empty if not).
        models: The Whisper model manager, or None (the page then shows no models).
        store_key: Saves (``""``: removes) the API key of the fallback at a URL.
        test_asr: 測試連線 of the recognition server for ``(asr settings, its key, UI
            language)``: a JSON-able dict with ``ok`` and ``message``.
        check_asr_url: Like ``check_url``, for the recognition server's URL.
        stored_asr_key: The recognition server's stored key, or None.
        store_asr_key: Saves (or, if "", removes) the recognition server's key.
        test_obs: "Test OBS" for ``(obs settings, its password, UI language)``: a JSON-able
            dict with ``ok`` and ``message`` (the source found, or what is wrong and the fix).
        check_obs_url: Raises a :class:`WhisperTransError` naming the problem with OBS's URL.
        stored_obs_password: OBS's stored WebSocket password, or None.
        store_obs_password: Saves (or, if "", removes) OBS's WebSocket password.
    """

    load: Callable[[], settings_mod.LoadResult]
    save: Callable[[settings_mod.Settings, str | None], object]
    stored_key: Callable[[str], str | None]
    check_url: Callable[[str], object]
    test_connection: Callable[[TranslationSettings, list[str | None], str], dict[str, Any]]
    models: ModelServices | None = None
    store_key: Callable[[str, str], object] = lambda key, url: None
    test_asr: Callable[[AsrSettings, str | None, str], dict[str, Any]] | None = None
    check_asr_url: Callable[[str], object] = lambda url: None
    stored_asr_key: Callable[[], str | None] = lambda: None
    store_asr_key: Callable[[str], object] = lambda key: None
    test_obs: Callable[[ObsSettings, str | None, str], dict[str, Any]] | None = None
    check_obs_url: Callable[[str], object] = lambda url: None
    stored_obs_password: Callable[[], str | None] = lambda: None
    store_obs_password: Callable[[str], object] = lambda password: None


class SettingsApi:
    """Exposed to the page as ``window.pywebview.api``."""

    def __init__(self, services: FormServices,
                 on_saved: Callable[[], None] = lambda: None, notice: str = "") -> None:
        self._services = services
        self._on_saved = on_saved
        self._notice = notice
        self.saved = 0  # how many times the user saved
        self.active_endpoint = ""  # the endpoint the running app translates with (the app
        # tells the window process, see settings_window.listen_for_status)
        self.viewer_link = ""  # the running app's viewer link ("" while its feed is off)

    def active(self) -> str:
        """The endpoint the running app uses now, e.g. ``翻譯：model @ host:8000``."""
        return self.active_endpoint

    def viewer(self) -> dict[str, str]:
        """The running app's viewer link and its QR code (a PNG ``data:`` URI), or empty."""
        if not self.viewer_link:
            return {"url": "", "qr": ""}
        png = base64.b64encode(qr_png(self.viewer_link)).decode("ascii")
        return {"url": self.viewer_link, "qr": "data:image/png;base64," + png}

    def get(self) -> dict[str, Any]:
        """Current settings, provider presets and the choices of the select fields."""
        result = self._services.load()
        return {
            "settings": settings_mod.to_dict(result.settings),
            "problems": result.by_field(),
            "presets": {k: dataclasses.asdict(p) for k, p in PRESETS.items()},
            "targets": list(LANGUAGES),
            "has_key": bool(self._services.stored_key("")),
            "fallback_has_key": [bool(self._services.stored_key(url))
                                 for _, url, _ in result.settings.translation.fallbacks],
            "active": self.active_endpoint,
            "notice": self._notice,
            "autostart": autostart.is_enabled() if autostart.available() else None,
            "has_asr_key": bool(self._services.stored_asr_key()),
            "has_obs_password": bool(self._services.stored_obs_password()),
        }

    def validate(self, data: dict[str, Any]) -> dict[str, str]:
        """Messages for the invalid fields of ``data``, keyed by dotted field name."""
        messages = settings_mod.from_dict(data).by_field()
        translation = data.get("translation") or {}
        urls = [("translation.url", translation.get("url", ""))]
        fallbacks = translation.get("fallbacks")
        if isinstance(fallbacks, list) and "translation.fallbacks" not in messages:
            urls += [(f"translation.fallbacks.{n}", row[1]) for n, row in enumerate(fallbacks)
                     if isinstance(row, list) and len(row) == 3]
        for field, url in urls:
            if not isinstance(url, str) or field in messages:
                continue
            try:
                self._services.check_url(url)
            except WhisperTransError as exc:
                messages[field] = exc.message(data.get("ui_language", "zh-TW"))
        for field, check_url in (("asr.remote_url", self._services.check_asr_url),
                                 ("obs.url", self._services.check_obs_url)):
            section, name = field.split(".")
            url = (data.get(section) or {}).get(name, "")
            if not isinstance(url, str) or field in messages:
                continue
            try:
                check_url(url)
            except WhisperTransError as exc:
                messages[field] = exc.message(data.get("ui_language", "zh-TW"))
        messages.update(_hotkey_messages(data.get("hotkeys"), data.get("ui_language", "zh-TW")))
        return messages

    def save(self, data: dict[str, Any], api_key: str | None = None,
             fallback_keys: list[str | None] | None = None,
             asr_api_key: str | None = None,
             obs_password: str | None = None) -> dict[str, Any]:
        """Validate and save; ``api_key`` None keeps the stored key, "" removes it;
        ``fallback_keys`` likewise for each fallback endpoint, in order, ``asr_api_key``
        for the recognition server and ``obs_password`` for OBS's WebSocket server."""
        errors = self.validate(data)
        if errors:
            return {"ok": False, "errors": errors}
        result = settings_mod.from_dict(data)
        try:
            self._services.save(result.settings, api_key)
            for (_, url, _), key in zip(result.settings.translation.fallbacks,
                                        fallback_keys or [], strict=False):
                if key is not None:
                    self._services.store_key(key, url)
            if asr_api_key is not None:
                self._services.store_asr_key(asr_api_key)
            if obs_password is not None:
                self._services.store_obs_password(obs_password)
        except Exception as exc:  # a keyring or disk problem is shown, not raised
            log.info("Saving from the settings window failed: %r", exc)
            message = exc.message(result.settings.ui_language) \
                if isinstance(exc, WhisperTransError) else tr(
                    "settings.store_failed", result.settings.ui_language,
                    detail=causes.os_error(exc))
            return {"ok": False, "errors": {"": message}}
        self.saved += 1
        self._on_saved()
        return {"ok": True, "errors": {}}

    def set_autostart(self, enabled: bool, ui_language: str = "zh-TW") -> dict[str, Any]:
        """Start on login on or off (the OS entry, not a setting); the error names the fix."""
        try:
            autostart.set_enabled(bool(enabled))
        except WhisperTransError as exc:
            return {"ok": False, "error": exc.message(ui_language)}
        return {"ok": True, "error": ""}

    def test_connection(self, data: dict[str, Any], api_key: str | None = None,
                        fallback_keys: list[str | None] | None = None) -> dict[str, Any]:
        """測試連線 of each endpoint with the values in the form (not yet saved)."""
        errors = self.validate(data)
        bad = [m for f, m in errors.items() if f.startswith(("translation.url",
                                                            "translation.fallbacks"))]
        if bad:
            return {"ok": False, "message": "\n".join(bad), "models": []}
        settings = settings_mod.from_dict(data).settings
        given = list(fallback_keys or [])
        keys = [api_key or self._services.stored_key("")]
        keys += [(given[n] if n < len(given) else None) or self._services.stored_key(url)
                 for n, (_, url, _) in enumerate(settings.translation.fallbacks)]
        return self._services.test_connection(settings.translation, keys,
                                              settings.ui_language)


    # -- the model manager ----------------------------------------------------------------
    def models(self, language: str) -> dict[str, Any]:
        """Installed Whisper models (name, size, bundled), those to download, the download."""
        if self._services.models is None:
            return {"installed": [], "available": [], "download": {"state": "idle"}}
        return self._services.models.listing(language)

    def download_model(self, name: str, language: str) -> dict[str, Any]:
        """Start downloading a model; progress comes from :meth:`download_status`."""
        if self._services.models is None:
            return {"state": "failed", "message": ""}
        return self._services.models.start(name, language)

    def download_status(self, language: str) -> dict[str, Any]:
        """The download: ``name``, ``state`` (running, done, failed, cancelled), ``done`` and
        ``total`` bytes, ``message``."""
        if self._services.models is None:
            return {"state": "idle"}
        return self._services.models.status(language)

    def cancel_download(self) -> None:
        if self._services.models is not None:
            self._services.models.cancel()

    def remove_model(self, name: str, language: str) -> dict[str, Any]:
        if self._services.models is None:
            return {"ok": False, "message": ""}
        return self._services.models.remove(name, language)

    def shutdown(self) -> None:
        """The window closed: a download in progress is cancelled and its files removed."""
        if self._services.models is not None:
            self._services.models.cancel()
            self._services.models.wait(10.0)
    def test_asr(self, data: dict[str, Any], asr_api_key: str | None = None) -> dict[str, Any]:
        """測試連線 of the recognition server with the values in the form (not yet saved)."""
        errors = self.validate(data)
        if "asr.remote_url" in errors:
            return {"ok": False, "message": errors["asr.remote_url"]}
        settings = settings_mod.from_dict(data).settings
        if self._services.test_asr is None:
            return {"ok": False, "message": ""}
        return self._services.test_asr(settings.asr,
                                       asr_api_key or self._services.stored_asr_key(),
                                       settings.ui_language)


    def test_obs(self, data: dict[str, Any], obs_password: str | None = None) \
            -> dict[str, Any]:
        """"Test OBS" with the values in the form (not yet saved)."""
        errors = self.validate(data)
        if "obs.url" in errors:
            return {"ok": False, "message": errors["obs.url"]}
        settings = settings_mod.from_dict(data).settings
        if self._services.test_obs is None:
            return {"ok": False, "message": ""}
        return self._services.test_obs(settings.obs,
                                       obs_password or self._services.stored_obs_password(),
                                       settings.ui_language)


def _hotkey_messages(hotkeys: Any, language: str) -> dict[str, str]:
    """Field messages for hotkeys that are malformed or clash with another action's."""
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
