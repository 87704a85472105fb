"""The settings' fields: typed, frozen dataclasses, one per section, each field documented
(its default, and for numbers the range :mod:`whispertrans_tray.typed_json` checks).

The API is :mod:`whispertrans_tray.settings`; the file is read and written by its ``_file``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal, get_args

AudioSource = Literal["loopback", "mic", "both"]
Provider = Literal["vllm", "openai", "ollama", "custom"]
PROVIDERS: tuple[Provider, ...] = get_args(Provider)
"""The translation providers, in menu order (their defaults: :mod:`whispertrans_tray.presets`)."""
Device = Literal["auto", "cpu", "cuda"]
AsrBackend = Literal["local", "remote"]
ASR_BACKENDS: tuple[AsrBackend, ...] = get_args(AsrBackend)
UiLanguage = Literal["zh-TW", "en"]
ComputeType = Literal["auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                      "int16", "float16", "bfloat16", "float32"]
COMPUTE_TYPES: tuple[ComputeType, ...] = get_args(ComputeType)
"""CTranslate2's compute types (``auto``: ours, int8 on a CPU, float16 on CUDA)."""
OverlayStyle = Literal["box", "outline"]


def _range(lo: float, hi: float) -> dict[str, float]:
    return {"min": lo, "max": hi}


@dataclass(frozen=True)
class AudioSettings:
    """What to listen to.

    Attributes:
        source: ``loopback`` records what the speakers play; ``mic`` records a microphone;
            ``both`` records the two at once (both sides of a call), each sentence labelled.
        device: Device name to use; empty means the system default (followed when it changes).
            With ``both``: the speaker whose output is recorded.
        mic_device: With ``both``: the microphone; empty means the default one.
        label_them: With ``both``: the label of the system audio's sentences; empty means
            對方 / Them (in the UI language).
        label_me: With ``both``: the label of the microphone's sentences; empty means 我 / Me.
        echo_filter: With ``both``: a microphone sentence that repeats what the speakers
            played a moment before (no headphones) is dropped, so no sentence shows twice.
    """

    source: AudioSource = "loopback"
    device: str = ""
    mic_device: str = ""
    label_them: str = ""
    label_me: str = ""
    echo_filter: bool = True


@dataclass(frozen=True)
class AsrSettings:
    """Speech recognition (faster-whisper).

    Attributes:
        model: ``base`` is the bundled multilingual Whisper base (offline); any other
            faster-whisper name (tiny … large-v3, turbo, distil-*) is downloaded on first use;
            a folder path loads a local CTranslate2 model.
        device: ``auto`` uses CUDA when available, else the CPU.
        compute_type: CTranslate2 compute type (one of :data:`COMPUTE_TYPES`); ``auto`` is
            int8 on CPU, float16 on CUDA.
        language: ``auto`` detects the language once per utterance; or a Whisper code such
            as ``en``, ``zh``, ``ja`` (``English``, ``en-US`` are read as ``en``; a language
            Whisper does not know keeps the default).
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
            the local model while that server fails or lets the subtitles fall more than 3 s
            behind the speech (a server slower than local decoding is still used).
        remote_url: The server's ``…/v1/audio/transcriptions`` URL or its ``…/v1`` base.
        remote_model: Model name the server serves (e.g. ``openai/whisper-large-v3``).
        remote_timeout_s: Longest wait for one remote decode before decoding locally instead
            (the wait is shorter while little audio waits: the window's new audio plus the 3-s
            lag budget).
    """

    model: str = "base"
    device: Device = "auto"
    compute_type: ComputeType = "auto"
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
        at_dip: 在停頓時翻譯 — when speech dips, translate what the recognizer decoded there at
            once, before the silence that confirms the end; the committed sentence reuses the
            request when its text is the same (else it is cancelled). Off by default: on the
            shared, loaded 2-core machine it did not measure faster, and costs some wasted
            requests (benchmarks/RESULTS.md, "translation at the dip and drafts on vs off").
        drafts: 顯示翻譯草稿 — also translate the line still being spoken once it has been
            steady for a moment (0.6 s unchanged, and 3 s after the line began or the last
            draft), shown dim under it, at most one change a second, and replaced by the
            final translation; a sentence that commits with the draft's text keeps the
            draft's translation (no second request).  Off (僅顯示穩定翻譯, stable only): only
            committed sentences are translated.  The tray menu switches it with one click.
            Drafts show on the overlay only (not in the history, the feed, OBS or the
            terminal).  Off by default: on the shared clips it cost 1.41–1.53 requests per
            sentence against 1.07–1.19; the final translation came as soon at p50 and
            sooner at p90 (committed → painted 0.55 s against 0.84 s), see
            benchmarks/RESULTS.md, "translation at the dip and drafts on vs off".
        translate_me: With audio source ``both``: translate your own side (the microphone)
            too; off: your sentences are transcribed only, the other side's are translated.
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
    at_dip: bool = False
    drafts: bool = False
    translate_me: bool = False


@dataclass(frozen=True)
class Endpoint:
    """One entry of the ordered list of translation endpoints (see :func:`endpoints`)."""

    provider: Provider
    url: str
    model: str

    @property
    def label(self) -> str:
        """``model @ host:port``, short enough for a tooltip or a status line."""
        host = self.url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]  # no password
        return f"{self.model} @ {host or self.url}"


def endpoints(translation: TranslationSettings) -> tuple[Endpoint, ...]:
    """The translation endpoints in order of preference: the first entry, then fallbacks."""
    first = Endpoint(translation.provider, translation.url, translation.model)
    rest = tuple(Endpoint(p if p in PROVIDERS else "custom", u, m)
                 for p, u, m in translation.fallbacks)  # unknown ones: left out by load
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
class HistorySettings:
    """The session history (``history/`` in the data folder: one file per session).

    Attributes:
        keep_days: Sessions older than this many days are removed when a session starts
            (the user is told).
        max_mb: When all sessions take more than this many megabytes, the oldest are removed
            (the user is told).
    """

    keep_days: int = field(default=90, metadata=_range(1, 3650))
    max_mb: int = field(default=500, metadata=_range(1, 100_000))


@dataclass(frozen=True)
class FeedSettings:
    """The local feed: the subtitles served over HTTP to OBS and to browsers.

    Attributes:
        enabled: Serve ``/events`` (Server-Sent Events), ``/overlay`` (an OBS Browser Source)
            and ``/`` (a reader page) while the app runs; off by default.
        port: TCP port of the feed (``http://127.0.0.1:PORT/``); ``--feed PORT`` overrides it.
        lan: The room: also serve the pages to the local network (phones), read-only, only
            under the viewer link's token (``http://LAN-ADDRESS:PORT/TOKEN/``).
        token: The viewer link's token; empty makes a new random one each session.
    """

    enabled: bool = False
    port: int = field(default=8765, metadata=_range(1024, 65535))
    lan: bool = False
    token: str = ""


@dataclass(frozen=True)
class ObsSettings:
    """OBS Studio itself: each subtitle line written into one of its text sources through
    obs-websocket 5 (built into OBS 28 and later: Tools → WebSocket Server Settings).

    The server's password is not a setting: it lives in the OS keyring
    (:data:`whispertrans_tray.credentials.OBS_ENTRY`).

    Attributes:
        enabled: Write the subtitles into OBS while the app listens (off by default).
        url: obs-websocket's address, ``ws://host:port`` (OBS's default port is 4455).
        source: Name of the OBS text source (Text (FreeType 2) or Text (GDI+)) to write into;
            it must exist in OBS's scene collection.
        lines: Sentences shown in the text source (each: source text, then its translation).
        captions: While OBS streams, also send each committed line as a closed caption
            (``SendStreamCaption``, CEA-608) when it is written in Latin letters (608 cannot
            carry Chinese: that goes through the text source only).
    """

    enabled: bool = False
    url: str = "ws://127.0.0.1:4455"
    source: str = "Subtitles"
    lines: int = field(default=2, metadata=_range(1, 20))
    captions: bool = True


@dataclass(frozen=True)
class OutputSettings:
    """Where the subtitle lines go besides the overlay.

    Attributes:
        live_file: A text file that always holds the last ``live_lines`` sentences (source,
            then translation), replaced atomically on each change, for OBS's text source
            option "Read from file"; empty: no file.  The app never overwrites a non-empty
            file it did not write itself.
        live_lines: Sentences kept in the live file.
    """

    live_file: str = ""
    live_lines: int = field(default=2, metadata=_range(1, 50))


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
    history: HistorySettings = HistorySettings()
    feed: FeedSettings = FeedSettings()
    obs: ObsSettings = ObsSettings()
    output: OutputSettings = OutputSettings()
    ui_language: UiLanguage = "zh-TW"
