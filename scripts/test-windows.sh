#!/usr/bin/env bash
# The Windows stage of the test command (scripts/test.sh runs it after the Linux pytest run):
# tests/windows under the Windows CPython inside Wine (scripts/wine-env.sh's prefix), on an Xvfb
# screen of its own.  Twice: everything with the ANSI code page of an English Windows (cp1252),
# then the tests marked "codepage" with that of a Traditional Chinese one (cp950; Wine takes
# the code page from LC_ALL).  Extra arguments go to both pytest runs.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/wine-env.sh || { echo "The Wine prefix could not be prepared." >&2; exit 1; }

work="$(mktemp -d)"
xvfb_pid=""
cleanup() {
    [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
# Xvfb picks a free display itself and writes its number once it listens (-displayfd).
Xvfb -displayfd 3 -screen 0 1600x900x24 -nolisten tcp 3>"$work/display" >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 300); do
    [[ -s "$work/display" ]] && break
    kill -0 "$xvfb_pid" 2>/dev/null || break
    sleep 0.1
done
[[ -s "$work/display" ]] || { echo "Xvfb did not start." >&2; exit 1; }
export DISPLAY=":$(head -1 "$work/display")"

checkout="$(winepath -w "$PWD" 2>/dev/null)"
export PYTHONPATH="$checkout"
pytest_args=(python -m pytest --capture=sys -p no:cacheprovider --confcutdir tests/windows
             --rootdir . tests/windows "$@")
# fd capture is off (--capture=sys): under Wine a second Tk() in a process whose standard
# handles pytest replaced cannot read init.tcl.

echo "Windows stage (Wine, cp1252): tests/windows"
# Wine takes its code pages from LC_ALL (LANG alone is not enough when the Linux locale is not
# generated); WT_EXPECT_CODE_PAGE makes tests/windows/conftest.py check it got that one.
env LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 WT_EXPECT_CODE_PAGE=1252 \
    scripts/wine-run.sh "${pytest_args[@]}"
code=$?
echo "Windows stage (Wine, cp950): tests/windows -m codepage"
env LANG=zh_TW.UTF-8 LC_ALL=zh_TW.UTF-8 WT_EXPECT_CODE_PAGE=950 \
    scripts/wine-run.sh "${pytest_args[@]}" -m codepage
code950=$?
for c in $code $code950; do
    if [[ $c -eq 5 ]]; then
        echo "The Windows stage collected no tests: it is broken (exit code 5)." >&2
        exit 1
    fi
done
[[ $code -eq 0 && $code950 -eq 0 ]] || exit 1
