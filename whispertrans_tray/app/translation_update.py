"""What the translation workers hand on: :class:`TranslationUpdate`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TranslationUpdate:
    """Progress of the translation of sentence ``index``.

    Attributes:
        index: ``Sentence.index`` of the sentence.
        text: The translation so far (``done`` False) or the final one; empty on failure.
        done: No more updates follow for this sentence (unless it failed and is retried:
            then a ``late`` one may follow).
        error: Empty, or (with ``done``) why it failed, in the UI language: the cause and
            the fix, for the notification, the tray tooltip and the log.
        late: A translation of a sentence that had failed, made once a server was back.
        brief: With ``error``: one short line in the UI language for the subtitles' status
            line (no URL, no exception text).
        first_token_at: With ``done`` and a text: the source's clock (seconds since the
            stream began, like ``Sentence.committed_at``) when the first translated text of
            the sentence was handed on; None without a clock.
        translated_at: With ``done`` and a text: the same clock when the final translation
            was handed on.
    """

    index: int
    text: str
    done: bool
    error: str = ""
    late: bool = False
    brief: str = ""
    first_token_at: float | None = None
    translated_at: float | None = None
