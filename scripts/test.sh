#!/usr/bin/env bash
# Run the whole test suite: lint, types, layering contracts, then pytest against real
# components; on Linux then the Windows stage under Wine (scripts/test-windows.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

.venv/bin/ruff check whispertrans_tray tests benchmarks scripts installer || exit 1
.venv/bin/mypy || exit 1
.venv/bin/lint-imports || exit 1

.venv/bin/python -m pytest --durations=25 "$@"  # the slowest tests in the log: CI has 90 minutes
code=$?
if [[ $code -eq 5 ]]; then
    echo "pytest collected no tests: the suite is broken (exit code 5)." >&2
    exit 1
fi

# The Windows stage (tests/windows under Wine, scripts/test-windows.sh): on Linux, when the
# whole suite runs (no pytest arguments given), or when WT_WINDOWS_STAGE=1.
if [[ "$(uname -s)" == Linux && ( $# -eq 0 || "${WT_WINDOWS_STAGE:-}" == 1 ) ]]; then
    bash scripts/test-windows.sh || code=1
fi
exit $code
