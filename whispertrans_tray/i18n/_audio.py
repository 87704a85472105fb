"""Messages of audio capture, input and output files, and the terminal commands.

Part of the catalogue of :mod:`whispertrans_tray.i18n` (its public API: ``tr``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- audio ----------------------------------------------------------------------------
    "audio.file_missing": {
        "zh-TW": "找不到音訊檔 {path}。請確認路徑是否正確。",
        "en": "The audio file {path} does not exist. Check the path.",
    },
    "audio.file_is_folder": {
        "zh-TW": "{path} 是資料夾，不是音訊檔。請指定資料夾中的一個音訊或影片檔。",
        "en": "{path} is a folder, not an audio file. Give one audio or video file in it.",
    },
    "audio.file_not_regular": {
        "zh-TW": "{path} 不是一般的音訊檔（而是裝置、管線等特殊檔案），無法轉錄。"
        "請指定一個音訊或影片檔。",
        "en": "{path} is not a regular audio file (it is a device, a pipe or another special "
        "file), so it cannot be transcribed. Give an audio or video file.",
    },
    "audio.no_audio_stream": {
        "zh-TW": "檔案 {path} 沒有音軌（可能是沒有聲音的影片），無法轉錄。請選擇含有聲音的檔案。",
        "en": "The file {path} has no sound track (a video without audio?), so there is nothing "
        "to transcribe. Choose a file with sound.",
    },
    "audio.file_unreadable": {
        "zh-TW": "無法讀取音訊檔 {path}：{detail}。請確認它是有效的音訊或影片檔。",
        "en": "Could not read the audio file {path}: {detail}. Check that it is a valid audio "
        "or video file.",
    },
    "audio.no_server": {
        "zh-TW": "無法使用音訊系統（{detail}）。請確認音訊服務正在執行（Linux：PulseAudio 或 PipeWire）。",
        "en": "The audio system is not available ({detail}). Check that the audio service is "
        "running (Linux: PulseAudio or PipeWire).",
    },
    "audio.no_speaker": {
        "zh-TW": "找不到可用的喇叭（輸出）裝置，無法錄製系統音訊。請接上或啟用音訊輸出裝置，或改用麥克風。",
        "en": "No speaker (output) device was found, so system audio cannot be recorded. "
        "Connect or enable an output device, or use the microphone.",
    },
    "audio.no_microphone": {
        "zh-TW": "找不到可用的麥克風。請接上或啟用麥克風，或改錄系統音訊。",
        "en": "No microphone was found. Connect or enable a microphone, or record system audio "
        "instead.",
    },
    "audio.device_missing": {
        "zh-TW": "找不到音訊裝置「{name}」。請在設定中選擇其他裝置。",
        "en": "The audio device '{name}' was not found. Choose another device in the settings.",
    },
    "audio.fallback_default": {
        "zh-TW": "音訊裝置「{name}」已不存在，改用系統預設裝置。",
        "en": "The audio device '{name}' is gone; using the system default instead.",
    },
    "audio.no_loopback_macos": {
        "zh-TW": "macOS 不支援錄製系統音訊。請安裝虛擬音訊裝置（例如 BlackHole），或改用麥克風。",
        "en": "macOS cannot record system audio directly. Install a virtual audio device (such "
        "as BlackHole) or use the microphone.",
    },
    "audio.device_lost": {
        "zh-TW": "音訊裝置「{name}」中斷（{detail}），正在重新連線…",
        "en": "The audio device '{name}' stopped ({detail}); reconnecting…",
    },
    "audio.connected": {"zh-TW": "正在錄音：{name}", "en": "Recording: {name}"},
    "audio.default_changed": {
        "zh-TW": "系統預設音訊裝置已變更，切換到新裝置。",
        "en": "The default audio device changed; switching to it.",
    },
    "output.unknown_format": {
        "zh-TW": "不支援的輸出格式「{ext}」。請使用 .srt、.vtt、.txt 或 .jsonl。",
        "en": "Unsupported output format '{ext}'. Use .srt, .vtt, .txt or .jsonl.",
    },
    "output.write_failed": {
        "zh-TW": "無法寫入輸出檔 {path}：{detail}。請改用可寫入的資料夾或檔名。",
        "en": "Could not write the output file {path}: {detail}. Choose a folder you can write "
        "to, or another file name.",
    },
    "output.is_input": {
        "zh-TW": "輸出檔 {path} 就是輸入的音訊檔 {source}（同一個檔案），寫入會毀掉原檔，"
        "因此沒有寫入任何內容。請用 -o 指定另一個檔名，例如 {source}.srt。",
        "en": "The output file {path} is the input audio file {source} (the same file): "
        "writing it would destroy the audio, so nothing was written. Give -o another file "
        "name, such as {source}.srt.",
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
    "cli.delays": {
        "zh-TW": "說完話到字幕出現（{count} 句）：原文 中位數 {committed:.2f} 秒；",
        "en": "From the end of speech to the subtitles ({count} sentences): source line "
              "p50 {committed:.2f} s;",
    },
    "cli.delays_translated": {
        "zh-TW": "翻譯開始 中位數 {first:.2f} 秒；翻譯完成 中位數 {translated:.2f} 秒"
                 "（p90 {translated90:.2f} 秒，{count} 句有翻譯）。",
        "en": "translation starts p50 {first:.2f} s; translation done p50 {translated:.2f} s "
              "(p90 {translated90:.2f} s, {count} translated).",
    },
    "cli.delays_untranslated": {
        "zh-TW": "沒有句子在這次執行中翻譯完成。",
        "en": "no sentence was translated in this run.",
    },
    "cli.wrote": {
        "zh-TW": "已寫入 {count} 句到 {path}。",
        "en": "Wrote {count} sentences to {path}.",
    },
    "cli.invalid_flag": {
        "zh-TW": "命令列選項 {flag} 的值 {value} 無效：必須是 {lo:g} 到 {hi:g} 之間的數字。"
        "請改用這個範圍內的值。",
        "en": "The option {flag} {value} is not valid: it must be a number from {lo:g} to "
        "{hi:g}. Use a value in that range.",
    },
    "cli.invalid_flag_value": {
        "zh-TW": "命令列選項 {flag} 的值 {value} 無效：{detail}。請改用其中一個有效的值。",
        "en": "The option {flag} {value} is not valid: {detail}. Use one of the valid values.",
    },
    "cli.flag_needs": {
        "zh-TW": "命令列選項 {flag} 只有搭配 {needs} 才有作用。請加上 {needs}，或拿掉 {flag}。",
        "en": "The option {flag} only works with {needs}. Add {needs}, or leave {flag} out.",
    },
    "cli.flag_conflict": {
        "zh-TW": "命令列選項 {flag} 不能與 {other} 一起使用。請拿掉其中一個。",
        "en": "The option {flag} cannot be used with {other}. Leave one of them out.",
    },
    "cli.progress": {
        "zh-TW": "辨識中",
        "en": "Transcribing",
    },
    "devices.loopback": {"zh-TW": "系統音訊", "en": "System audio"},
    "devices.mic": {"zh-TW": "麥克風", "en": "Microphone"},
    "cli.interrupted": {
        "zh-TW": "已中斷。",
        "en": "Interrupted.",
    },
}
