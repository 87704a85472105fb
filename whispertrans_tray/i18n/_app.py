"""Messages of the tray app: the settings file, the tray menu, start on login, the menu entry,
the first run, the status line and the hotkeys.

Part of the catalogue of :mod:`whispertrans_tray.i18n` (its public API: ``tr``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
    "settings.invalid_row": {
        "zh-TW": "設定欄位「{field}」中的一列 {row!r} 無效：{reason}。已略過這一列，其餘的列照常使用；"
        "請在設定中修正或刪除它。",
        "en": "Setting '{field}' has an invalid row {row!r}: {reason}. That row was left out "
        "and the others are used; fix or delete it in the settings.",
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
    # --- tray menu, start on login, menu entry -----------------------------------------
    "tray.start": {"zh-TW": "開始錄音", "en": "Start recording"},
    "tray.stop": {"zh-TW": "停止錄音", "en": "Stop recording"},
    "tray.source": {"zh-TW": "音訊來源", "en": "Source"},
    "tray.system_audio": {"zh-TW": "系統音訊", "en": "System audio"},
    "tray.microphone": {"zh-TW": "麥克風", "en": "Microphone"},
    "tray.both_sources": {"zh-TW": "系統音訊＋麥克風", "en": "System audio + microphone"},
    # --- both sides of a call (audio source "both") ---------------------------------------
    "both.label_them": {"zh-TW": "對方", "en": "Them"},
    "both.label_me": {"zh-TW": "我", "en": "Me"},
    "tray.provider": {"zh-TW": "LLM 提供商", "en": "Provider"},
    "tray.asr": {"zh-TW": "語音辨識", "en": "Speech recognition"},
    "tray.asr_local": {"zh-TW": "本機（faster-whisper）", "en": "This computer (faster-whisper)"},
    "tray.asr_remote": {"zh-TW": "遠端伺服器（見設定）", "en": "Remote server (see settings)"},
    "tray.target": {"zh-TW": "翻譯成", "en": "Target language"},
    "tray.translate": {"zh-TW": "啟用即時翻譯", "en": "Live translation"},
    "tray.stable_only": {"zh-TW": "僅顯示穩定翻譯", "en": "Stable translations only"},
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
    "tray.export_unreadable": {
        "zh-TW": "無法讀取本次的歷史紀錄 {path}：{detail}。字幕未匯出；請確認該資料夾仍存在且可讀取。",
        "en": "Could not read this session's history {path}: {detail}. Nothing was exported; "
        "check that the folder still exists and can be read.",
    },
    "history.moved": {
        "zh-TW": "無法在 {path} 儲存本次的歷史紀錄：{detail}。本次的字幕改存於 {fallback}，"
        "不會遺失；請確認該資料夾可寫入，或以 WHISPERTRANS_DATA_DIR 指定其他資料夾。",
        "en": "The session history cannot be saved in {path}: {detail}. This session's "
        "subtitles are kept in {fallback} instead, nothing is lost; check that the folder can "
        "be written, or choose another one with WHISPERTRANS_DATA_DIR.",
    },
    "history.pruned": {
        "zh-TW": "已刪除 {count} 個舊的歷史紀錄（{path}）：超過 {days} 天，或歷史紀錄總共超過 {mb} MB。"
        "要保留更久，請在「設定…」的「歷史紀錄」調高保留天數或容量上限。",
        "en": "Removed {count} old session histories from {path}: older than {days} days, or "
        "over {mb} MB in all. To keep them longer, raise the limits under History in "
        "Settings….",
    },
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
    "app.settings_window_failed": {
        "zh-TW": "無法開啟設定視窗：{detail}。請查看日誌，或直接編輯設定檔 {path}。",
        "en": "The settings window could not be opened: {detail}. Check the log, or edit the "
        "settings file {path} directly.",
    },
    "app.no_display": {
        "zh-TW": "無法開啟字幕視窗（{detail}）：這台電腦沒有可用的螢幕。"
        "請在桌面環境中執行，或改用終端機模式：whispertrans-tray listen",
        "en": "Cannot open the subtitle window ({detail}): no screen is available. Run it in "
        "a desktop session, or use the terminal mode: whispertrans-tray listen",
    },
    # --- desktop: hotkeys -----------------------------------------------------------------
    "hotkey.failed": {
        "zh-TW": "無法註冊快捷鍵「{hotkey}」（{detail}）。請在設定中改用其他組合鍵。",
        "en": "The hotkey '{hotkey}' could not be registered ({detail}). Choose another key "
        "combination in the settings.",
    },
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
}
