"""Normalisation for WER/CER: case and punctuation do not count."""

from __future__ import annotations

import re
import unicodedata


def words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def chars(text: str) -> str:
    return "".join(ch for ch in words(text) if not ch.isspace())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return float(jiwer.wer(words(reference), words(hypothesis)))


def cer(reference: str, hypothesis: str) -> float:
    import jiwer

    return float(jiwer.cer(chars(reference), chars(hypothesis)))
