"""Whisper's language codes: kept in :mod:`whispertrans_tray.core.whisper_languages` (the
settings check ``asr.language`` with them too); the providers' name for them."""

from __future__ import annotations

from whispertrans_tray.core.whisper_languages import CODES, code

__all__ = ["CODES", "code"]
