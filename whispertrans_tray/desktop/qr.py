"""The viewer link as a QR code (segno, pure Python): the tray's link window and the settings
window show it for a phone's camera."""

from __future__ import annotations

import io

QR_SCALE = 6
"""Pixels per QR module: about 200 px for a viewer link, easy for a phone across a desk."""


def qr_png(url: str, scale: int = QR_SCALE) -> bytes:
    """``url`` as a QR code, a PNG (dark on white, with its quiet zone)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
