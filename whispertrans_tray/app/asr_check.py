"""測試連線 for the recognition server: reachable, the key accepted, one 1-s test clip decoded,
and the time it took; or the cause and the fix.  Never raises for a server problem."""

from __future__ import annotations

import time
from dataclasses import dataclass

from whispertrans_tray.errors import RecognitionServerError
from whispertrans_tray.i18n import Phrase, tr
from whispertrans_tray.providers.asr_remote import RemoteWhisper, read_wav
from whispertrans_tray.settings import AsrSettings

DEADLINE_S = 15.0


@dataclass(frozen=True)
class AsrReport:
    """Outcome of the recognition server test, with a message in the UI language."""

    ok: bool
    message: str
    seconds: float = 0.0
    text: str = ""


CLIP_LANGUAGE = "en"
"""The test clip's language (JFK): asked for, so a server that answers in another language
(it ignores the ``language`` field) fails the test, as its decodes would fail live."""


def run(asr: AsrSettings, api_key: str | None, ui_language: str = "zh-TW") -> AsrReport:
    """Decode the test clip on the server ``asr`` names, in its language (English), within
    :data:`DEADLINE_S`."""
    try:
        remote = RemoteWhisper(asr.remote_url, asr.remote_model, api_key,
                               min(asr.remote_timeout_s * 2, DEADLINE_S))
        try:
            started = time.perf_counter()
            result = remote.transcribe(read_wav(), CLIP_LANGUAGE)
            took = time.perf_counter() - started
        finally:
            remote.close()
    except RecognitionServerError as exc:
        return AsrReport(False, exc.message(ui_language))
    text = "".join(w.text for w in result.words).strip()
    if not text:
        return AsrReport(False, tr("asr.remote_bad_answer", ui_language,
                                   detail=Phrase.of("cause.empty_test_clip")), took)
    return AsrReport(True, tr("asr.conn_ok", ui_language, model=asr.remote_model,
                              ms=took * 1000, text=text), took, text)
