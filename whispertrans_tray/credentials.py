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


def _user(url: str) -> str:
    """The keyring entry: the first endpoint's key, or that of the fallback at ``url``."""
    return f"{KEYRING_USER} {url.strip()}" if url else KEYRING_USER


def stored(url: str = "") -> str | None:
    """The API key from the OS keyring, or None (no key, or no keyring backend).

    ``url`` names a fallback endpoint (each has its own key, so an OpenAI key is never sent
    to a LAN server); empty means the first endpoint's key.
    """
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, _user(url))
    except Exception as exc:  # no backend on a headless box: the key is optional
        log.info("No keyring available: %s", type(exc).__name__)
        return None
    if value:
        logs.register_secret(str(value))
    return str(value) if value else None


def store(key: str, url: str = "") -> None:
    """Save (or, if empty, delete) the API key in the OS keyring (``url``: see :func:`stored`)."""
    import keyring

    if key:
        logs.register_secret(key)
        keyring.set_password(KEYRING_SERVICE, _user(url), key)
    else:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, _user(url))


def resolve(given: str | None) -> str | None:
    """The key given on the command line (``--api-key``), else the stored one."""
    key = given or stored()
    if key:
        logs.register_secret(key)
    return key


ASR_ENTRY = "speech recognition"
"""The recognition server's keyring entry (``asr.backend`` remote), apart from the translation
keys: ``stored(ASR_ENTRY)``, ``store(key, ASR_ENTRY)``."""


def resolve_asr(given: str | None) -> str | None:
    """The recognition server's key: ``--asr-api-key``, else the stored one."""
    key = given or stored(ASR_ENTRY)
    if key:
        logs.register_secret(key)
    return key


OBS_ENTRY = "obs-websocket"
"""The keyring entry of OBS's WebSocket server password (``obs.enabled``):
``stored(OBS_ENTRY)``, ``store(password, OBS_ENTRY)``."""


def resolve_obs(given: str | None = None) -> str | None:
    """OBS's WebSocket password: ``--obs-password``, else the stored one."""
    password = given or stored(OBS_ENTRY)
    if password:
        logs.register_secret(password)
    return password
