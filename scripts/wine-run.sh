#!/usr/bin/env bash
# Run a Windows program in the Wine prefix of scripts/wine-env.sh; its exit code is returned.
#
#   scripts/wine-run.sh python -m pytest tests/windows
#   scripts/wine-run.sh whispertrans-tray.exe --version
#   WINEPREFIX=/tmp/clean scripts/wine-run.sh 'C:\setup.exe' /VERYSILENT
#
# The prefix: $WINEPREFIX if set, else $WT_WINEPREFIX, else
# ${XDG_CACHE_HOME:-~/.cache}/whispertrans-tray/wine.  Wine 8.0 quirks handled here:
# - no Mono/Gecko install prompts, and a crash does not start winedbg (which hangs the job);
# - WinPython's pip launchers look for python.exe on PATH: C:\py311 and its Scripts are on it;
# - ctranslate2's OpenMP aborts on GetNumaNodeProcessorMaskEx: KMP_AFFINITY=disabled;
# - python.exe dies at start (init_sys_streams, WinError 6) when its stdout or stderr is a
#   regular file: both are always piped (stdout to stdout, stderr to stderr).
set -uo pipefail
if [[ $# -eq 0 ]]; then
    echo "usage: wine-run.sh PROGRAM [ARGS...]" >&2
    exit 2
fi
export WINEPREFIX="${WINEPREFIX:-${WT_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/whispertrans-tray/wine}}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree=;mshtml=;winedbg.exe=d}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEPATH='C:\py311;C:\py311\Scripts'
export KMP_AFFINITY=disabled
if [[ ! -d "$WINEPREFIX" ]]; then
    echo "wine-run: no Wine prefix at $WINEPREFIX (make it with: bash scripts/wine-env.sh)" >&2
    exit 2
fi
wine "$@" 2> >(cat >&2) | cat
code=${PIPESTATUS[0]}
wait  # the stderr pipe drained
exit "$code"
