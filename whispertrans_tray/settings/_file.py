"""The settings file: loaded, validated, saved.

The file is ``settings.json`` under ``platformdirs.user_config_dir("WhisperTrans Tray")``.  Saving
is atomic (write a temporary file, then ``os.replace``).  Loading never fails: a corrupt file
(bad JSON, bad encoding, absurd nesting) is kept as ``settings.json.bak`` (then ``.bak.1``,
``.bak.2``…: an earlier backup is never overwritten) and the defaults are used; a file that
cannot be read at all (a folder, no permission) is left alone; a field with a wrong value
(including NaN, infinities and numbers too large for a float) keeps its default.  Each problem
becomes a message (in the UI language) that names the file or field, its cause and the fix.

The API is :mod:`whispertrans_tray.settings`; the fields are its ``_schema``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whispertrans_tray import causes
from whispertrans_tray.core.whisper_languages import some_codes, spoken_language
from whispertrans_tray.errors import SettingsError
from whispertrans_tray.i18n import (
    DEFAULT_UI_LANGUAGE,
    UI_LANGUAGES,
    Phrase,
    normalize_ui_language,
    tr,
)
from whispertrans_tray.logs import redact
from whispertrans_tray.settings._schema import PROVIDERS, AsrSettings, Settings, UiLanguage
from whispertrans_tray.typed_json import build

log = logging.getLogger(__name__)

APP_NAME = "WhisperTrans Tray"
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class LoadResult:
    """Settings as loaded, with a message for every problem met on the way."""

    settings: Settings
    problems: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    """The dotted field each problem is about (parallel to ``problems``; "" for the file)."""

    def by_field(self) -> dict[str, str]:
        return dict(zip(self.fields, self.problems))


def os_ui_language() -> str:
    """zh-TW or en from the OS locale (繁體中文 unless the OS speaks English)."""
    import locale

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return normalize_ui_language(value)
    code = locale.getlocale()[0] or ""
    return normalize_ui_language(code) if code else DEFAULT_UI_LANGUAGE


def default_path() -> Path:
    """``settings.json`` in the OS config folder."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / SETTINGS_FILE


def to_dict(settings: Settings) -> dict[str, Any]:
    """A JSON-ready dict of ``settings``."""
    return dataclasses.asdict(settings)


def from_dict(data: Any, lang: str = DEFAULT_UI_LANGUAGE,
              fixed_language: bool = False) -> LoadResult:
    """Validate ``data`` (parsed JSON) into :class:`Settings`; problems name the field.

    Problems are in the ``ui_language`` of ``data`` when it has a valid one, else in ``lang``;
    ``fixed_language`` (``--ui-language`` was given) always uses ``lang``.
    """
    problems: list[tuple[str, str]] = []
    if (not fixed_language and isinstance(data, dict)
            and data.get("ui_language") in UI_LANGUAGES):
        lang = data["ui_language"]
    settings = build(Settings, data, "", lang, problems)
    settings = _check_fallbacks(settings, lang, problems)
    settings = _check_language(settings, lang, problems)
    # a problem quotes the value: a URL's password (a fallback row) is masked as in the log
    return LoadResult(settings, tuple(redact(m) for _, m in problems),
                      tuple(f for f, _ in problems))


def _check_fallbacks(settings: Settings, lang: str,
                     problems: list[tuple[str, str]]) -> Settings:
    """Fallback rows whose provider is unknown are left out, each with a problem (rows of the
    wrong shape were left out, each with its own, when the file was read)."""
    rows = settings.translation.fallbacks
    kept = tuple(row for row in rows if row[0] in PROVIDERS)
    for row in rows:
        if row not in kept:
            problems.append(("translation.fallbacks", tr(
                "settings.invalid_row", lang, field="translation.fallbacks", row=list(row),
                reason=Phrase.of("cause.want_provider", choices=", ".join(PROVIDERS)))))
    if kept == rows:
        return settings
    return dataclasses.replace(settings, translation=dataclasses.replace(
        settings.translation, fallbacks=kept))


def _check_language(settings: Settings, lang: str,
                    problems: list[tuple[str, str]]) -> Settings:
    """``asr.language`` as a Whisper code (``English`` → ``en``); one Whisper does not know
    (``xx``) keeps the default ``auto``, with a problem, instead of failing every decode."""
    given = settings.asr.language
    language = spoken_language(given)
    if language is None:
        default = AsrSettings().language
        problems.append(("asr.language", tr(
            "settings.invalid_field", lang, field="asr.language", value=given,
            reason=Phrase.of("cause.want_language", codes=some_codes()), default=default)))
        language = default
    if language == given:
        return settings
    return dataclasses.replace(settings, asr=dataclasses.replace(settings.asr,
                                                                 language=language))


def load(path: Path | None = None, lang: str = DEFAULT_UI_LANGUAGE,
         fixed_language: bool = False) -> LoadResult:
    """Load the settings; a missing file gives the defaults, a corrupt one is kept as ``.bak``.

    Problems are told in ``lang`` (or, unless ``fixed_language``, the file's own UI language).

    Never raises: whatever is in (or instead of) the file, the result is usable settings and
    messages that say what was wrong and what was done about it.
    """
    path = path or default_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:  # first start: the UI follows the OS language
        language: UiLanguage = "en" if os_ui_language() == "en" else "zh-TW"
        return LoadResult(dataclasses.replace(Settings(), ui_language=language))
    except OSError as exc:  # a folder, no permission, an I/O error: leave it as it is
        return LoadResult(Settings(), (tr("settings.unreadable", lang, path=path,
                                          detail=_os_detail(exc)),))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(data, dict):
            raise ValueError("the top level is not a JSON object")
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        detail = _corrupt_detail(exc)
        try:
            backup = _backup(path)
        except OSError as move_exc:
            return LoadResult(Settings(), (tr("settings.corrupt_not_moved", lang, path=path,
                                              detail=detail,
                                              reason=_os_detail(move_exc)),))
        return LoadResult(Settings(), (tr("settings.corrupt", lang, path=path, detail=detail,
                                          backup=backup),))
    return from_dict(data, lang, fixed_language)


def _corrupt_detail(exc: BaseException) -> causes.Phrase:
    log.info("The settings file is not valid JSON: %r", exc)
    return causes.bad_json(exc)


def _os_detail(exc: OSError) -> causes.Phrase:
    log.info("The settings file cannot be used: %r", exc)
    return causes.os_error(exc)


def _backup(path: Path) -> Path:
    """Move ``path`` aside as ``NAME.bak``, or ``NAME.bak.1``, ``.bak.2``… if taken."""
    candidates = [path.with_name(path.name + ".bak")]
    candidates += [path.with_name(f"{path.name}.bak.{n}") for n in range(1, 1000)]
    for backup in candidates:
        if not backup.exists() and not backup.is_symlink():
            os.replace(path, backup)
            return backup
    raise OSError(0, "too many backups; delete old settings.json.bak files")


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically; raises :class:`SettingsError` naming the path."""
    path = path or default_path()
    text = json.dumps(to_dict(settings), ensure_ascii=False, indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.info("Cannot save the settings to %s: %r", path, exc)
        raise SettingsError("settings.save_failed", path=path,
                            detail=causes.os_error(exc)) from exc
    return path


def replace(settings: Settings, dotted: str, value: Any) -> Settings:
    """Return ``settings`` with one field changed, e.g. ``replace(s, "asr.language", "en")``.

    The value is validated like a loaded one; an invalid value raises :class:`SettingsError`.
    """
    data = to_dict(settings)
    node = data
    *parents, leaf = dotted.split(".")
    for name in parents:
        node = node[name]
    if leaf not in node:
        raise SettingsError("settings.unknown_field", field=dotted)
    node[leaf] = list(value) if isinstance(value, tuple) else value
    result = from_dict(data, settings.ui_language)
    if result.problems:
        raise SettingsError("settings.rejected", detail=result.problems[0])
    return result.settings

