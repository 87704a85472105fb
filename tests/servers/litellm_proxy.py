"""A real LiteLLM proxy (PyPI ``litellm[proxy]``, in its own venv ``.venv-litellm`` made by
``scripts/setup.sh --dev`` so its pins never move the app's) on 127.0.0.1, in front of real
test servers, configured as deploy/litellm/config.yaml configures a team's: two chat backends
under one name (``translator``), the recognition server as ``whisper-1``, per-user keys and
rate limits through deploy/litellm/team_keys.py (no database).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tests.servers._http import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "litellm"
LITELLM = ROOT / ".venv-litellm" / "bin" / "litellm"
MASTER_KEY = "sk-test-master"
CHAT_MODEL = "translator"
ASR_MODEL = "whisper-1"


def config(chat: Sequence[tuple[str, str]], asr: Sequence[str]) -> str:
    """The proxy's YAML: ``chat`` (base URL, served model name) deployments of ``translator``,
    ``asr`` base URLs of ``whisper-1``; the rest as deploy/litellm/config.yaml."""
    models = [{"model_name": CHAT_MODEL, "litellm_params": {
        "model": f"openai/{name}", "api_base": base, "api_key": "none"}} for base, name in chat]
    models += [{"model_name": ASR_MODEL, "litellm_params": {
        "model": "openai/whisper-1", "api_base": base, "api_key": "none"},
        "model_info": {"mode": "audio_transcription"}} for base in asr]
    return json.dumps({  # JSON is YAML
        "model_list": models,
        "router_settings": {"routing_strategy": "simple-shuffle", "num_retries": 2,
                            "allowed_fails": 1, "cooldown_time": 30, "timeout": 30},
        "litellm_settings": {"drop_params": False},
        "general_settings": {"master_key": "os.environ/LITELLM_MASTER_KEY",
                             "custom_auth": "team_keys.user_api_key_auth"}}, indent=1)


class LiteLLMProxy:
    """The proxy process; ``keys``: (key, user, requests a minute) of the team."""

    def __init__(self, folder: Path, chat: Sequence[tuple[str, str]], asr: Sequence[str],
                 keys: Sequence[tuple[str, str, int]]) -> None:
        if not LITELLM.exists():
            raise RuntimeError(f"{LITELLM} is missing: run `bash scripts/setup.sh --dev`")
        self.folder = folder
        self.port = free_port()
        shutil.copy(DEPLOY / "team_keys.py", folder / "team_keys.py")  # beside its config
        (folder / "config.yaml").write_text(config(chat, asr), encoding="utf-8")
        (folder / "keys.yaml").write_text(json.dumps({"keys": [
            {"key": k, "user": u, "rpm": rpm} for k, u, rpm in keys]}), encoding="utf-8")
        self.log_path = folder / "proxy.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 180.0) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL"))}
        env.update(LITELLM_MASTER_KEY=MASTER_KEY, WHISPERTRANS_TEAM_KEYS=str(
            self.folder / "keys.yaml"), LITELLM_LOCAL_MODEL_COST_MAP="True",
            LITELLM_TELEMETRY="False", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(LITELLM), "--config", str(self.folder / "config.yaml"),
                 "--host", "127.0.0.1", "--port", str(self.port), "--num_workers", "1"],
                stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, env=env,
                stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the LiteLLM proxy exited: {self.log()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/health/liveliness", timeout=2) as answer:
                if answer.status == 200:
                    return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the LiteLLM proxy did not start: {self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]
