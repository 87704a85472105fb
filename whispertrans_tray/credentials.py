"""The API key: from ``--api-key`` or the OS keyring, never from the settings file.

Every key that comes through here is registered with :mod:`whispertrans_tray.logs`, so no log
line ever shows it.
"""

from __future__ import annotations

import contextlib
import logging

from whispertrans_tray import logs

log = logging.getLogger(__name__)

KEYRING_SERVICE = "WhisperTrans Tray"
KEYRING_USER = "api_key"
ASR_KEYRING_USER = "asr_api_key"
"""The recognition server's key (``asr.backend`` remote), kept apart from the translation key."""


def stored(user: str = KEYRING_USER) -> str | None:
    """The API key from the OS keyring, or None (no key, or no keyring backend); ``user``
    :data:`ASR_KEYRING_USER` for the recognition server's key."""
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, user)
    except Exception as exc:  # no backend on a headless box: the key is optional
        log.info("No keyring available: %s", type(exc).__name__)
        return None
    if value:
        logs.register_secret(str(value))
    return str(value) if value else None


def store(key: str, user: str = KEYRING_USER) -> None:
    """Save (or, if empty, delete) the API key in the OS keyring."""
    import keyring

    if key:
        logs.register_secret(key)
        keyring.set_password(KEYRING_SERVICE, user, key)
    else:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, user)


def resolve(given: str | None, user: str = KEYRING_USER) -> str | None:
    """The key given on the command line (``--api-key``), else the stored one."""
    key = given or stored(user)
    if key:
        logs.register_secret(key)
    return key
