"""Messages of the outputs beside the overlay: OBS Studio (obs-websocket) and the live text
file.

Part of the catalogue of :mod:`whispertrans_tray.i18n` (its public API: ``tr``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- OBS Studio (obs-websocket 5) -------------------------------------------------------
    "obs.unreachable": {
        "zh-TW": "無法連線到 OBS（{url}：{detail}）。請確認 OBS Studio 已開啟，並在「工具 → "
        "WebSocket 伺服器設定」中啟用 WebSocket 伺服器，端口與設定中的相同。字幕照常顯示，"
        "OBS 開啟後會自動重新連線。",
        "en": "Cannot reach OBS ({url}: {detail}). Make sure OBS Studio is running and its "
        "WebSocket server is enabled (Tools → WebSocket Server Settings) on the port in the "
        "settings. The subtitles go on; the app reconnects when OBS is back.",
    },
    "obs.auth_failed": {
        "zh-TW": "OBS 拒絕了 WebSocket 密碼（{url}）。請在 OBS 的「工具 → WebSocket 伺服器設定 → "
        "顯示連線資訊」複製密碼，貼到本程式設定的 OBS 密碼欄位。字幕照常顯示。",
        "en": "OBS rejected the WebSocket password ({url}). Copy the password from OBS (Tools → "
        "WebSocket Server Settings → Show Connect Info) into the OBS password field of the "
        "settings. The subtitles go on.",
    },
    "obs.auth_missing": {
        "zh-TW": "OBS 的 WebSocket 伺服器需要密碼，但尚未設定（{url}）。請在 OBS 的「工具 → "
        "WebSocket 伺服器設定 → 顯示連線資訊」複製密碼，貼到本程式設定的 OBS 密碼欄位。",
        "en": "OBS's WebSocket server needs a password and none is set ({url}). Copy it from "
        "OBS (Tools → WebSocket Server Settings → Show Connect Info) into the OBS password "
        "field of the settings.",
    },
    "obs.source_missing": {
        "zh-TW": "OBS 目前的場景集合中沒有名為「{source}」的來源。請在 OBS 新增一個「文字」來源並"
        "命名為「{source}」，或在設定中填入現有文字來源的名稱。字幕照常顯示。",
        "en": "OBS's scene collection has no source named '{source}'. Add a Text source named "
        "'{source}' in OBS, or put the name of an existing text source in the settings. The "
        "subtitles go on.",
    },
    "obs.not_text": {
        "zh-TW": "OBS 的來源「{source}」不是文字來源（它是 {kind}）。請在設定中填入一個「文字」"
        "來源的名稱。",
        "en": "OBS's source '{source}' is not a text source (it is {kind}). Put the name of a "
        "Text source in the settings.",
    },
    "obs.not_obs": {
        "zh-TW": "{url} 不是 OBS 的 WebSocket 伺服器（obs-websocket 5）：{detail}。請確認 OBS 為 "
        "28 版以上，且網址與端口正確（預設 ws://127.0.0.1:4455）。",
        "en": "{url} is not OBS's WebSocket server (obs-websocket 5): {detail}. Check that OBS is "
        "version 28 or later and that the address and port are right (default "
        "ws://127.0.0.1:4455).",
    },
    "obs.bad_url": {
        "zh-TW": "OBS 的網址「{url}」無效：請使用 ws://主機:端口，例如 ws://127.0.0.1:4455。",
        "en": "The OBS address '{url}' is not valid: use ws://host:port, such as "
        "ws://127.0.0.1:4455.",
    },
    "obs.request_failed": {
        "zh-TW": "OBS 拒絕了「{request}」請求（代碼 {code}：{said}）。",
        "en": "OBS refused the '{request}' request (code {code}: {said}).",
    },
    "obs.connected": {
        "zh-TW": "已連線到 OBS：字幕寫入文字來源「{source}」。",
        "en": "Connected to OBS: the subtitles go into the text source '{source}'.",
    },
    "cause.obs_closed": {"zh-TW": "OBS 關閉了連線（代碼 {code}）",
                         "en": "OBS closed the connection (code {code})"},
    "cause.obs_no_hello": {"zh-TW": "它沒有送出 obs-websocket 的 Hello 訊息",
                           "en": "it sent no obs-websocket Hello message"},
    "cause.obs_old_rpc": {"zh-TW": "它使用較舊的協定版本 {version}",
                          "en": "it speaks the older protocol version {version}"},
    # --- the live text file -----------------------------------------------------------------
    "live_file.foreign": {
        "zh-TW": "即時文字檔 {path} 已存在且有內容，但不是本程式寫的，為免毀掉您的檔案，沒有寫入。"
        "請在設定（或 --live-file）指定另一個檔名，或自行清空／刪除該檔案。",
        "en": "The live text file {path} exists, is not empty and was not written by this app: "
        "to keep your file, nothing was written. Choose another file name in the settings (or "
        "--live-file), or empty or delete that file yourself.",
    },
    "live_file.not_file": {
        "zh-TW": "即時文字檔 {path} 不是一般檔案（可能是資料夾）。請指定一個檔名，例如 "
        "{path}/subtitles.txt。",
        "en": "The live text file {path} is not a regular file (a folder?). Give a file name, "
        "such as {path}/subtitles.txt.",
    },
    "live_file.write_failed": {
        "zh-TW": "無法寫入即時文字檔 {path}：{detail}。請改用可寫入的資料夾；字幕照常顯示。",
        "en": "Could not write the live text file {path}: {detail}. Choose a folder you can "
        "write to; the subtitles go on.",
    },
}
