"""Typed, frozen settings with documented fields, stored as JSON in the OS config folder.

The fields are dataclasses, one per section (``_schema``); the file is ``settings.json`` under
``platformdirs.user_config_dir("WhisperTrans Tray")``, read, checked field by field and written
atomically by ``_file``: loading never fails, a corrupt file is kept aside as ``.bak`` and
every problem becomes a message that names the file or field, its cause and the fix.  Import
both from here.

The API key is **not** a setting: it lives in the OS keyring (:mod:`whispertrans_tray.credentials`).
"""

from __future__ import annotations

from whispertrans_tray.settings._file import (
    APP_NAME,
    SETTINGS_FILE,
    LoadResult,
    default_path,
    from_dict,
    load,
    os_ui_language,
    replace,
    save,
    to_dict,
)
from whispertrans_tray.settings._schema import (
    ASR_BACKENDS,
    COMPUTE_TYPES,
    PROVIDERS,
    AsrBackend,
    AsrSettings,
    AudioSettings,
    AudioSource,
    Device,
    Endpoint,
    FeedSettings,
    HistorySettings,
    HotkeySettings,
    ObsSettings,
    OutputSettings,
    OverlaySettings,
    OverlayStyle,
    Provider,
    Settings,
    TranslationSettings,
    UiLanguage,
    at_endpoint,
    endpoints,
)

__all__ = [
    "APP_NAME", "ASR_BACKENDS", "COMPUTE_TYPES", "PROVIDERS", "SETTINGS_FILE", "AsrBackend",
    "AsrSettings", "AudioSettings", "AudioSource", "Device", "Endpoint", "FeedSettings",
    "HistorySettings", "HotkeySettings", "LoadResult", "ObsSettings", "OutputSettings",
    "OverlaySettings", "OverlayStyle", "Provider", "Settings", "TranslationSettings",
    "UiLanguage", "at_endpoint", "default_path", "endpoints", "from_dict", "load",
    "os_ui_language", "replace", "save", "to_dict",
]
