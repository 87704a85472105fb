"""Messages of the local feed (the subtitles served to OBS and browsers) and the room (the
viewer link on the local network).

Part of the catalogue of :mod:`whispertrans_tray.i18n` (its public API: ``tr``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "feed.port_in_use": {
        "zh-TW": "字幕串流無法啟動：連接埠 {port} 已被其他程式使用。請在設定的「字幕串流」改用其他"
        "連接埠（feed.port），或以 --feed 連接埠 指定，或關閉佔用它的程式。字幕照常顯示，只是沒有串流。",
        "en": "The subtitle feed cannot start: port {port} is already in use by another program. "
        "Choose another port in Settings → Subtitle feed (feed.port) or with --feed PORT, or "
        "close that program. The subtitles go on without the feed.",
    },
    "feed.cannot_bind": {
        "zh-TW": "字幕串流無法在 {host}:{port} 上啟動（{detail}）。請改用 1024 以上的其他連接埠"
        "（feed.port 或 --feed 連接埠）；若開啟了區域網路觀看（feed.lan），請確認防火牆允許。"
        "字幕照常顯示，只是沒有串流。",
        "en": "The subtitle feed cannot listen on {host}:{port} ({detail}). Choose another port "
        "above 1024 (feed.port or --feed PORT); with the room on (feed.lan), check that the "
        "firewall allows it. The subtitles go on without the feed.",
    },
    "feed.serving": {
        "zh-TW": "字幕串流：{url}（OBS 瀏覽器來源：{overlay}）",
        "en": "Subtitle feed: {url} (OBS Browser Source: {overlay})",
    },
    "feed.room_serving": {
        "zh-TW": "觀看連結（同一區域網路的手機）：{url}",
        "en": "Viewer link (phones on the same network): {url}",
    },
    "feed.client_dropped": {
        "zh-TW": "字幕串流：{client} 讀取太慢，已中斷它的連線（字幕不受影響）。",
        "en": "Subtitle feed: {client} read too slowly and was disconnected (the subtitles "
        "are not affected).",
    },
    "feed.off": {
        "zh-TW": "字幕串流未開啟。請在設定的「字幕串流」開啟它（feed.enabled），或以 --feed 連接埠 啟動。",
        "en": "The subtitle feed is off. Turn it on in Settings → Subtitle feed (feed.enabled), "
        "or start with --feed PORT.",
    },
    "feed.no_lan": {
        "zh-TW": "區域網路觀看未開啟，此連結只能在本機開啟。若要讓手機觀看，請在設定開啟「區域網路觀看」（feed.lan）。",
        "en": "The room is off: this link opens on this computer only. To let phones watch, "
        "turn on 'Viewers on the local network' (feed.lan) in Settings.",
    },
    "feed.no_lan_address": {
        "zh-TW": "找不到這台電腦的區域網路位址（未連上網路？）。請連上 Wi-Fi 或有線網路後再試。",
        "en": "This computer has no local network address (not connected?). Connect to Wi-Fi "
        "or a wired network and try again.",
    },
    # --- the pages (reader, OBS overlay) ---------------------------------------------------
    "feed.page.title": {"zh-TW": "即時字幕", "en": "Live subtitles"},
    "feed.page.waiting": {"zh-TW": "等待字幕…", "en": "Waiting for subtitles…"},
    "feed.page.offline": {"zh-TW": "連線中斷，重新連線中…", "en": "Disconnected, reconnecting…"},
    "feed.page.failed": {"zh-TW": "（翻譯失敗）", "en": "(translation failed)"},
    "feed.page.follow": {"zh-TW": "跳到最新", "en": "Jump to newest"},
    # --- the tray and the settings window ------------------------------------------------
    "tray.viewer_link": {"zh-TW": "顯示觀看連結", "en": "Show viewer link"},
    "feed.link_title": {"zh-TW": "觀看連結", "en": "Viewer link"},
    "feed.link_hint": {
        "zh-TW": "用手機相機掃描 QR 碼，或在瀏覽器輸入此網址（手機須在同一網路）。",
        "en": "Scan the QR code with a phone's camera, or type this address in a browser (the "
        "phone must be on the same network).",
    },
    "feed.link_close": {"zh-TW": "關閉", "en": "Close"},
}
