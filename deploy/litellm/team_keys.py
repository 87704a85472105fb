"""Per-user keys and rate limits for the LiteLLM proxy without a database.

LiteLLM's virtual keys live in Postgres; a small team does not need one.  The proxy calls
:func:`user_api_key_auth` (``general_settings.custom_auth`` in config.yaml) for every request:
a key listed in the file ``$WHISPERTRANS_TEAM_KEYS`` (default: team_keys.yaml beside this file)
is let in with its ``rpm`` as the key's requests-per-minute limit, which LiteLLM enforces
itself (its own HTTP 429); the master key is let in without a limit; any other key is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from fastapi import Request
from litellm.proxy._types import ProxyException, UserAPIKeyAuth

KEYS_FILE = Path(os.environ.get("WHISPERTRANS_TEAM_KEYS")
                 or Path(__file__).with_name("team_keys.yaml"))


def _keys() -> dict[str, dict[str, object]]:
    rows = yaml.safe_load(KEYS_FILE.read_text(encoding="utf-8")).get("keys") or []
    return {str(row["key"]): row for row in rows}


KEYS = _keys()


async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:
    master = os.environ.get("LITELLM_MASTER_KEY")
    if master and api_key == master:
        return UserAPIKeyAuth(api_key=api_key, user_id="admin")
    row = KEYS.get(api_key)
    if row is None:
        raise ProxyException(message="Unknown API key: ask the team's admin for yours",
                             type="auth_error", param="api_key", code=401)
    return UserAPIKeyAuth(api_key=api_key, user_id=str(row["user"]),
                          rpm_limit=int(row["rpm"]))  # type: ignore[arg-type]
