"""Typed, frozen settings with documented fields, stored as JSON in the OS config folder.

The file is ``settings.json`` under ``platformdirs.user_config_dir("WhisperTrans Tray")``.  Saving
is atomic (write a temporary file, then ``os.replace``).  Loading never fails: a corrupt file
(bad JSON, bad encoding, absurd nesting) is kept as ``settings.json.bak`` (then ``.bak.1``,
``.bak.2``…: an earlier backup is never overwritten) and the defaults are used; a file that
cannot be read at all (a folder, no permission) is left alone; a field with a wrong value
(including NaN, infinities and numbers too large for a float) keeps its default.  Each problem
becomes a message (in the UI language) that names the file or field, its cause and the fix.

The API key is **not** a setting: it lives in the OS keyring (:mod:`whispertrans_tray.credentials`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from whispertrans_tray import causes
from whispertrans_tray.errors import SettingsError
from whispertrans_tray.i18n import DEFAULT_UI_LANGUAGE, UI_LANGUAGES, normalize_ui_language, tr
from whispertrans_tray.typed_json import build

log = logging.getLogger(__name__)

APP_NAME = "WhisperTrans Tray"
SETTINGS_FILE = "settings.json"

AudioSource = Literal["loopback", "mic"]
Provider = Literal["vllm", "openai", "ollama", "custom"]
PROVIDERS: tuple[Provider, ...] = get_args(Provider)
"""The translation providers, in menu order (their defaults: :mod:`whispertrans_tray.presets`)."""
Device = Literal["auto", "cpu", "cuda"]
AsrBackend = Literal["local", "remote"]
ASR_BACKENDS: tuple[AsrBackend, ...] = get_args(AsrBackend)
UiLanguage = Literal["zh-TW", "en"]
OverlayStyle = Literal["box", "outline"]


def _range(lo: float, hi: float) -> dict[str, float]:
    return {"min": lo, "max": hi}


@dataclass(frozen=True)
class AudioSettings:
    """What to listen to.

    Attributes:
        source: ``loopback`` records what the speakers play; ``mic`` records a microphone.
        device: Device name to use; empty means the system default (followed when it changes).
    """

    source: AudioSource = "loopback"
    device: str = ""


@dataclass(frozen=True)
class AsrSettings:
    """Speech recognition (faster-whisper).

    Attributes:
        model: ``base`` is the bundled multilingual Whisper base (offline); any other
            faster-whisper name (tiny … large-v3, turbo, distil-*) is downloaded on first use;
            a folder path loads a local CTranslate2 model.
        device: ``auto`` uses CUDA when available, else the CPU.
        compute_type: CTranslate2 compute type; ``auto`` is int8 on CPU, float16 on CUDA.
        language: ``auto`` detects the language once per utterance; or a code such as
            ``en``, ``zh``, ``ja``.
        beam_size: Beam search width; 1 (greedy) is fastest on a CPU.
        cpu_threads: CPU threads for decoding; 0 picks the number of cores (at most 4).
        vad_threshold: Silero VAD speech probability threshold.
        min_silence_ms: Silence that ends an utterance (and commits it), in milliseconds.
        max_sentence_chars: A sentence longer than this is split (at a comma if possible).
        chinese_script: Script for Chinese text: ``traditional`` (臺灣正體, OpenCC s2twp),
            ``simplified``, or ``asis`` to keep what Whisper wrote.
        backend: ``local`` decodes with faster-whisper on this computer; ``remote`` sends each
            decode to an OpenAI-compatible ``/v1/audio/transcriptions`` server (vLLM,
            speaches/faster-whisper-server, whisper.cpp's server, LocalAI) and falls back to
            the local model while that server is down or slower than local decoding.
        remote_url: The server's ``…/v1/audio/transcriptions`` URL or its ``…/v1`` base.
        remote_model: Model name the server serves (e.g. ``openai/whisper-large-v3``).
        remote_timeout_s: Longest wait for one remote decode before decoding locally instead
            (the wait is shorter once local decoding has been timed: never longer than a local
            decode would take).
    """

    model: str = "base"
    device: Device = "auto"
    compute_type: str = "auto"
    language: str = "auto"
    beam_size: int = field(default=1, metadata=_range(1, 10))
    cpu_threads: int = field(default=0, metadata=_range(0, 64))
    vad_threshold: float = field(default=0.5, metadata=_range(0.05, 0.95))
    min_silence_ms: int = field(default=500, metadata=_range(100, 5000))
    max_sentence_chars: int = field(default=120, metadata=_range(10, 1000))
    chinese_script: Literal["traditional", "simplified", "asis"] = "traditional"
    backend: AsrBackend = "local"
    remote_url: str = "http://localhost:8000/v1/audio/transcriptions"
    remote_model: str = "whisper-1"
    remote_timeout_s: float = field(default=5.0, metadata=_range(0.5, 60.0))


@dataclass(frozen=True)
class TranslationSettings:
    """Translation through an OpenAI-compatible chat API.

    Attributes:
        enabled: 啟用即時翻譯 — translate each sentence; off means transcription only.
        provider: ``vllm`` (本地模型), ``openai``, ``ollama`` or ``custom``.
        url: Chat completions URL or its ``/v1`` base.
        model: Model name the server serves (模型名稱).
        temperature: Sampling temperature; low values give steadier translations.
        max_tokens: Upper bound on the tokens of one translation.
        target_language: Language to translate into (翻譯成).
        second_language: Used when a sentence already is in the target language.
        timeout_s: Total time allowed for one translation request, in seconds.
        context_sentences: Previous sentence pairs sent as context.
        glossary: Fixed translations, as ``[[term, translation], ...]``.
        fallbacks: ``[[provider, url, model], ...]`` tried in order after the first entry
            (``provider``/``url``/``model``); an older file without them: a one-entry list.
        max_in_flight: Translation requests sent at once (a vLLM server batches them).
    """

    enabled: bool = False
    provider: Provider = "vllm"
    url: str = "http://localhost:8000/v1/chat/completions"
    model: str = "Qwen/Qwen2-7B-Instruct"
    temperature: float = field(default=0.3, metadata=_range(0.0, 2.0))
    max_tokens: int = field(default=256, metadata=_range(16, 8192))
    target_language: str = "繁體中文"
    second_language: str = "English"
    timeout_s: float = field(default=10.0, metadata=_range(1.0, 120.0))
    context_sentences: int = field(default=3, metadata=_range(0, 20))
    glossary: tuple[tuple[str, str], ...] = ()
    fallbacks: tuple[tuple[str, str, str], ...] = ()
    max_in_flight: int = field(default=2, metadata=_range(1, 8))


@dataclass(frozen=True)
class Endpoint:
    """One entry of the ordered list of translation endpoints (see :func:`endpoints`)."""

    provider: Provider
    url: str
    model: str

    @property
    def label(self) -> str:
        """``model @ host:port``, short enough for a tooltip or a status line."""
        host = self.url.split("://", 1)[-1].split("/", 1)[0]
        return f"{self.model} @ {host or self.url}"


def endpoints(translation: TranslationSettings) -> tuple[Endpoint, ...]:
    """The translation endpoints in order of preference: the first entry, then fallbacks."""
    first = Endpoint(translation.provider, translation.url, translation.model)
    rest = tuple(Endpoint(p if p in PROVIDERS else "custom", u, m)
                 for p, u, m in translation.fallbacks)  # unknown ones: see _check_fallbacks
    return (first, *rest)


def at_endpoint(translation: TranslationSettings, endpoint: Endpoint) -> TranslationSettings:
    """``translation`` talking to ``endpoint`` only (what one translator is built from)."""
    return dataclasses.replace(translation, provider=endpoint.provider, url=endpoint.url,
                               model=endpoint.model, fallbacks=())


@dataclass(frozen=True)
class OverlaySettings:
    """The subtitle overlay window.

    Attributes:
        visible: Show the overlay while the app runs.
        locked: Locked overlays ignore the mouse (click-through on Windows) and cannot be moved.
        font_family: Font for both lines; Noto Sans CJK TC renders Chinese well.
        font_size: Size of the translation line in points.
        source_font_size: Size of the source line in points.
        text_color: Colour of committed text (``#rrggbb``).
        partial_color: Colour of the partial (not yet committed) text, dimmer.
        background: Background colour of the overlay (the ``box`` style).
        style: ``box``: text on a semi-transparent box; ``outline``: no box, text outlined
            in black as video players draw subtitles (readable over white and black).
        opacity: Window opacity, 0.2 (faint) to 1.0 (solid).
        width: Window width in pixels.
        height: Window height in pixels.
        translation_on_top: Translation line above the source line (else beneath).
        show_source: Show the recognised text as well as the translation.
        max_lines: Sentences kept on screen.
        fade_after_s: Hide the text after this many seconds without speech; 0 never fades.
        positions: Remembered window positions per screen layout, as
            ``[[layout, x, y], ...]``; the layout key names the monitors' geometry.
    """

    visible: bool = True
    locked: bool = False
    font_family: str = "Noto Sans CJK TC"
    font_size: int = field(default=24, metadata=_range(8, 96))
    source_font_size: int = field(default=16, metadata=_range(8, 96))
    text_color: str = "#ffffff"
    partial_color: str = "#9aa0a6"
    background: str = "#101418"
    style: OverlayStyle = "box"
    opacity: float = field(default=0.8, metadata=_range(0.2, 1.0))
    width: int = field(default=1000, metadata=_range(200, 8000))
    height: int = field(default=280, metadata=_range(60, 4000))
    translation_on_top: bool = True
    show_source: bool = True
    max_lines: int = field(default=2, metadata=_range(1, 10))
    fade_after_s: float = field(default=8.0, metadata=_range(0.0, 600.0))
    positions: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class HotkeySettings:
    """Global hotkeys, in pynput notation (``<ctrl>+<alt>+r``).

    Attributes:
        toggle_recording: Start or stop listening.
        toggle_overlay: Show or hide the subtitles.
        toggle_translation: Turn 啟用即時翻譯 on or off.
        toggle_lock: Lock or unlock the subtitles (click-through).
    """

    toggle_recording: str = "<ctrl>+<alt>+r"
    toggle_overlay: str = "<ctrl>+<alt>+s"
    toggle_translation: str = "<ctrl>+<alt>+t"
    toggle_lock: str = "<ctrl>+<alt>+l"


@dataclass(frozen=True)
class Settings:
    """All settings.

    Attributes:
        ui_language: Language of menus and messages: ``zh-TW`` (繁體中文) or ``en``.
    """

    audio: AudioSettings = AudioSettings()
    asr: AsrSettings = AsrSettings()
    translation: TranslationSettings = TranslationSettings()
    overlay: OverlaySettings = OverlaySettings()
    hotkeys: HotkeySettings = HotkeySettings()
    ui_language: UiLanguage = "zh-TW"


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
    return LoadResult(settings, tuple(m for _, m in problems), tuple(f for f, _ in problems))


def _check_fallbacks(settings: Settings, lang: str,
                     problems: list[tuple[str, str]]) -> Settings:
    """Fallback rows whose provider is unknown are left out, each with a problem."""
    rows = settings.translation.fallbacks
    kept = tuple(row for row in rows if row[0] in PROVIDERS)
    for row in set(rows) - set(kept):
        problems.append(("translation.fallbacks", tr(
            "settings.invalid_field", lang, field="translation.fallbacks", value=list(row),
            reason="a provider of " + ", ".join(PROVIDERS), default="(left out)")))
    if kept == rows:
        return settings
    return dataclasses.replace(settings, translation=dataclasses.replace(
        settings.translation, fallbacks=kept))


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


__all__ = [
    "ASR_BACKENDS", "PROVIDERS", "AsrSettings", "AudioSettings", "Endpoint", "HotkeySettings",
    "LoadResult", "OverlaySettings", "Settings", "TranslationSettings", "at_endpoint",
    "default_path", "endpoints", "from_dict", "load", "replace", "save", "to_dict",
]
