"""Causes in words, in both UI languages: what went wrong under a message, as the user can act
on it ("the connection was refused"), never an exception's repr, an errno or a URL.

A message of :mod:`whispertrans_tray.i18n` takes one as a :class:`~whispertrans_tray.i18n.Phrase`
parameter (``detail``, ``cause``) and shows it in its own language; the exception behind it is
logged, not shown.  :mod:`whispertrans_tray.causes` picks the phrase for an exception.
"""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # --- network ----------------------------------------------------------------------------
    "cause.refused": {"zh-TW": "連線被拒（那個端口沒有程式在接收連線）",
                      "en": "the connection was refused (no program is listening on that "
                      "port)"},
    "cause.dns": {"zh-TW": "找不到這個主機名稱（請檢查拼字，或改用 IP 位址）",
                  "en": "the host name was not found (check its spelling, or use the IP address)"},
    "cause.no_route": {"zh-TW": "網路無法到達那台電腦",
                       "en": "the network cannot reach that computer"},
    "cause.connect_timeout": {"zh-TW": "連線逾時（那台電腦沒有回應）",
                              "en": "the connection timed out (that computer does not answer)"},
    "cause.reset": {"zh-TW": "連線被伺服器或防火牆中斷",
                    "en": "the connection was closed by the server or a firewall"},
    "cause.dropped": {"zh-TW": "連線在回應途中被切斷",
                      "en": "the connection dropped in the middle of the answer"},
    "cause.no_connection": {"zh-TW": "無法建立連線", "en": "no connection could be made"},
    "cause.tls_cert": {"zh-TW": "伺服器的憑證不受信任（自簽、已過期或名稱不符）",
                       "en": "the server's certificate is not trusted (self-signed, expired or "
                       "for another name)"},
    "cause.tls_not_https": {"zh-TW": "那個端口不使用 https（請改用 http://）",
                            "en": "that port does not speak https (try http://)"},
    "cause.tls_other": {"zh-TW": "無法建立加密連線",
                        "en": "the encrypted connection could not be set up"},
    # --- answers ----------------------------------------------------------------------------
    "cause.http_status": {"zh-TW": "它回應 HTTP {status}", "en": "it answered HTTP {status}"},
    "cause.http_status_said": {"zh-TW": "它回應 HTTP {status}：「{said}」",
                               "en": "it answered HTTP {status}: \"{said}\""},
    "cause.server_said": {"zh-TW": "伺服器說：「{said}」", "en": "the server said: \"{said}\""},
    "cause.server_silent": {"zh-TW": "伺服器沒有說明原因", "en": "the server gave no reason"},
    "cause.web_page": {"zh-TW": "它回應的是網頁，不是 API 的 JSON",
                       "en": "it answered with a web page, not the API's JSON"},
    "cause.not_json": {"zh-TW": "它的回應不是 JSON", "en": "its answer is not JSON"},
    "cause.no_stream": {"zh-TW": "它沒有送出串流的聊天回應",
                        "en": "it sent no chat completion stream"},
    "cause.empty_answer": {"zh-TW": "回應是空的", "en": "the answer was empty"},
    "cause.unreadable_answer": {"zh-TW": "回應的內容無法解讀",
                                "en": "the answer could not be read"},
    "cause.models_unreadable": {"zh-TW": "它的模型清單無法解讀",
                                "en": "its model list could not be read"},
    "cause.not_object": {"zh-TW": "回應不是 JSON 物件", "en": "the answer is not a JSON object"},
    "cause.no_text": {"zh-TW": "回應裡沒有文字", "en": "there is no text in the answer"},
    "cause.no_timestamps": {"zh-TW": "回應有文字，但沒有字詞或段落的時間戳記",
                            "en": "the answer has text but no word or segment timestamps"},
    "cause.misplaced": {
        "zh-TW": "它把「{word}」放在 {start:.2f}–{end:.2f} 秒，但送出的音訊只有 {duration:.2f} 秒",
        "en": "it placed \"{word}\" at {start:.2f}-{end:.2f} s of audio {duration:.2f} s "
        "long"},
    "cause.undecodable_body": {
        "zh-TW": "伺服器有回應，但回應內容無法解碼（例如標示為 gzip 壓縮卻不是）",
        "en": "the server answered, but its answer could not be decoded (e.g. marked as gzip "
        "but not gzip)"},
    "cause.empty_speech": {"zh-TW": "它把一段語音辨識成空白",
                           "en": "it returned an empty transcript of speech"},
    "cause.empty_test_clip": {"zh-TW": "它把測試音訊辨識成空白",
                              "en": "it returned an empty transcript of the test clip"},
    "cause.unexpected": {"zh-TW": "發生未預期的錯誤（詳情記錄在日誌中）",
                         "en": "an unexpected error (the details are in the log)"},
    "cause.want_language": {
        "zh-TW": "Whisper 不認得這個語言；請用 auto（自動偵測）或語言代碼，例如 {codes}",
        "en": "Whisper knows no such language; use auto (detect it) or a language code such "
        "as {codes}"},
    # --- URLs -------------------------------------------------------------------------------
    "cause.url_scheme": {"zh-TW": "必須以 http:// 或 https:// 開頭",
                         "en": "it must start with http:// or https://"},
    "cause.url_bracket": {"zh-TW": "主機部分格式錯誤（IPv6 位址的方括號 [ ] 沒有成對）",
                          "en": "its host is malformed (the [ ] around an IPv6 address do not "
                          "match)"},
    "cause.url_no_host": {"zh-TW": "缺少主機名稱", "en": "it has no host name"},
    "cause.url_port": {"zh-TW": "端口必須是 0 到 65535 的數字",
                       "en": "the port must be a number from 0 to 65535"},
    # --- files and folders ------------------------------------------------------------------
    "cause.os_permission": {"zh-TW": "沒有存取權限", "en": "permission denied"},
    "cause.os_disk_full": {"zh-TW": "磁碟空間不足", "en": "the disk is full"},
    "cause.os_read_only": {"zh-TW": "磁碟是唯讀的", "en": "the disk is read-only"},
    "cause.os_missing": {"zh-TW": "資料夾或檔案不存在", "en": "the folder or file does not exist"},
    "cause.os_is_dir": {"zh-TW": "那是資料夾，不是檔案", "en": "it is a folder, not a file"},
    "cause.os_not_dir": {"zh-TW": "路徑中有一段不是資料夾",
                         "en": "part of the path is not a folder"},
    "cause.os_exists": {"zh-TW": "路徑上已有同名的檔案", "en": "a file of that name is in the way"},
    "cause.os_busy": {"zh-TW": "正被其他程式使用", "en": "another program is using it"},
    "cause.os_other": {"zh-TW": "系統回報：{reason}", "en": "the system said: {reason}"},
    "cause.json_at": {"zh-TW": "不是有效的 JSON（第 {line} 行第 {column} 欄）",
                      "en": "it is not valid JSON (line {line}, column {column})"},
    "cause.json_not_object": {"zh-TW": "最上層不是 JSON 物件",
                              "en": "the top level is not a JSON object"},
    "cause.not_utf8": {"zh-TW": "不是 UTF-8 文字（第 {byte} 個位元組）",
                       "en": "it is not UTF-8 text (byte {byte})"},
    "cause.too_nested": {"zh-TW": "巢狀層次太深", "en": "it is nested too deeply"},
    # --- settings values ------------------------------------------------------------------
    "cause.want_choice": {"zh-TW": "必須是以下之一：{choices}", "en": "it must be one of {choices}"},
    "cause.want_bool": {"zh-TW": "必須是 true 或 false", "en": "it must be true or false"},
    "cause.want_number": {"zh-TW": "必須是數字", "en": "it must be a number"},
    "cause.want_sane_number": {"zh-TW": "數字太大", "en": "the number is too large"},
    "cause.want_finite": {"zh-TW": "必須是有限的數字", "en": "it must be a finite number"},
    "cause.want_whole": {"zh-TW": "必須是整數", "en": "it must be a whole number"},
    "cause.want_range": {"zh-TW": "必須介於 {lo} 與 {hi} 之間",
                         "en": "it must be between {lo} and {hi}"},
    "cause.want_text": {"zh-TW": "必須是文字", "en": "it must be text"},
    "cause.want_provider": {"zh-TW": "提供商必須是以下之一：{choices}",
                            "en": "its provider must be one of {choices}"},
    "cause.want_row": {"zh-TW": "必須是 [{shape}] 形式的一列", "en": "it must be a [{shape}] row"},
    "cause.want_rows": {"zh-TW": "必須是 [{shape}] 形式的列所組成的清單",
                        "en": "it must be a list of [{shape}] rows"},
    # --- audio, screen, models --------------------------------------------------------------
    "cause.bad_media": {"zh-TW": "它不是有效的音訊或影片檔，或檔案已損毀",
                        "en": "it is not a valid audio or video file, or it is damaged"},
    "cause.no_audio": {"zh-TW": "檔案裡沒有任何音訊", "en": "the file contains no audio"},
    "cause.device_gone": {"zh-TW": "裝置被拔除或停用，或音訊服務重新啟動了",
                          "en": "the device was unplugged or disabled, or the audio service "
                          "restarted"},
    "cause.no_audio_service": {"zh-TW": "連不上音訊服務", "en": "there is no connection to the "
                               "audio service"},
    "cause.no_key_listener": {"zh-TW": "系統不讓程式監聽鍵盤（例如在 Wayland 下，或缺少權限）",
                              "en": "the system does not let programs listen to the keyboard "
                              "(e.g. under Wayland, or without the permission)"},
    "cause.hotkey_refused": {"zh-TW": "系統拒絕了這個組合鍵（可能已被其他程式使用）",
                             "en": "the system refused this key combination (another program "
                             "may use it)"},
    "cause.no_display_set": {"zh-TW": "沒有設定 DISPLAY", "en": "DISPLAY is not set"},
    "cause.display_closed": {"zh-TW": "無法開啟螢幕 {display}",
                             "en": "the display {display} cannot be opened"},
    "cause.no_cuda": {"zh-TW": "找不到可用的 NVIDIA GPU 或驅動程式",
                      "en": "no usable NVIDIA GPU or driver was found"},
    "cause.model_files": {"zh-TW": "模型檔案無法讀取或已損毀",
                          "en": "the model files cannot be read or are damaged"},
    "cause.out_of_memory": {"zh-TW": "記憶體不足", "en": "there is not enough memory"},
}
