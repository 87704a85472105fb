"""Pure streaming logic: fed audio and recognizer results, no threads, no I/O.

Nothing here imports :mod:`whispertrans_tray.desktop` or :mod:`whispertrans_tray.providers`;
models come in through the small protocols in :mod:`whispertrans_tray.core.types`.
"""
