"""Messages of translation: server errors with their fix, the short status lines on the
subtitles, failover and 測試連線.

Part of the catalogue of :mod:`whispertrans_tray.i18n` (its public API: ``tr``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
    "translate.context_too_large": {
        "zh-TW": "翻譯請求超過伺服器模型的上下文長度（{detail}）。每個請求都帶著整份詞彙表與上下文句子："
        "請在設定中縮減詞彙表（或減少上下文句數），或以更大的上下文重新啟動伺服器"
        "（llama.cpp：-c／--ctx-size；vLLM：--max-model-len）。",
        "en": "The translation request is larger than the context of the server's model "
        "({detail}). Every request carries the whole glossary and the context sentences: shrink "
        "the glossary (or use fewer context sentences) in the settings, or restart the server "
        "with a larger context (llama.cpp: -c/--ctx-size; vLLM: --max-model-len).",
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
        "zh-TW": "翻譯伺服器的回應在完成前就中斷了（收到 {chars} 字，但連線結束時沒有 [DONE] 也沒有 "
        "finish_reason），這段不完整的譯文沒有保留（時間允許時已重試）。伺服器可能當機或重新啟動，"
        "或是中間的代理伺服器切斷了串流；請查看伺服器的日誌。",
        "en": "The translation server's answer was cut off: the connection ended before it was "
        "finished ({chars} characters, but no [DONE] and no finish_reason); the fragment was "
        "not kept (it was asked again while time allowed). The server may have crashed or "
        "restarted, or a proxy cut the stream: check the server's log.",
    },
    "translate.length_thinking": {
        "zh-TW": "模型用完了全部 {max_tokens} 個 token 在思考（reasoning），還沒寫出譯文就被截斷"
        "（finish_reason: length）。請關閉模型的思考模式（vLLM：chat_template_kwargs "
        "enable_thinking=false，或不用 --reasoning-parser；Ollama：think=false），改用非推理模型，"
        "或在設定中提高 max_tokens。",
        "en": "The model spent all {max_tokens} tokens thinking (reasoning) and was stopped "
        "before writing any translation (finish_reason: length). Turn the model's thinking off "
        "(vLLM: chat_template_kwargs enable_thinking=false, or no --reasoning-parser; Ollama: "
        "think=false), use a model that does not reason, or raise max_tokens in the settings.",
    },
    "translate.length_empty": {
        "zh-TW": "伺服器在寫出任何譯文前就達到 max_tokens（{max_tokens}）上限而停止"
        "（finish_reason: length）。請在設定中提高 max_tokens，並確認伺服器沒有更低的上限。",
        "en": "The server stopped at max_tokens ({max_tokens}) before writing any translation "
        "(finish_reason: length). Raise max_tokens in the settings and check that the server "
        "sets no lower limit.",
    },
    "translate.truncated": {
        "zh-TW": "翻譯伺服器在 max_tokens 上限處截斷了譯文（finish_reason: length），"
        "被截斷的字幕以「…」結尾。請在設定中提高 max_tokens；若模型會先思考，請關閉它的思考模式。",
        "en": "The translation server cut a translation at max_tokens "
        "(finish_reason: length); cut lines end in '…'. Raise max_tokens in the settings; if the "
        "model thinks first, turn its thinking off.",
    },
    "translate.brief.truncated": {"zh-TW": "⚠ 譯文被 max_tokens 截斷（…）",
                                  "en": "⚠ Translation cut at max_tokens (…)"},
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
    "translate.brief.context": {"zh-TW": "詞彙表超過伺服器的上下文 · 字幕照常顯示",
                                "en": "Glossary exceeds the server's context · subtitles go on"},
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
    "conn.rate_limited": {
        "zh-TW": "已連上翻譯伺服器 {host}，但它目前限制請求頻率（HTTP 429 請求過多{wait}）。伺服器沒有"
        "故障，限制解除後翻譯會自動繼續；請稍後再測試連線。若持續發生，請降低使用頻率（例如關閉其他使用"
        "同一金鑰的程式）、提高帳戶的用量上限，或改用本機伺服器。",
        "en": "The translation server {host} answers, but it is rate-limiting requests (HTTP 429 "
        "Too Many Requests{wait}). It is not down: translation goes on once the limit passes; "
        "test the connection again in a moment. If this keeps happening, send fewer requests "
        "(e.g. close other programs using the same key), raise your plan's rate limit, or use "
        "a local server.",
    },
    "conn.wait": {"zh-TW": "，要求等待 {seconds:g} 秒", "en": "; it asked to wait {seconds:g} s"},
    "conn.sample": {"zh-TW": "測試翻譯：{source} → {translation}",
                    "en": "Test translation: {source} → {translation}"},
}
