#!/usr/bin/env bash
# Run the whole test suite: lint, types, layering contracts, then pytest against real
# components.
set -uo pipefail
cd "$(dirname "$0")/.."

.venv/bin/ruff check whispertrans_tray tests benchmarks scripts installer || exit 1
.venv/bin/mypy || exit 1
.venv/bin/lint-imports || exit 1

.venv/bin/python -m pytest "$@"
code=$?
if [[ $code -eq 5 ]]; then
    echo "pytest collected no tests: the suite is broken (exit code 5)." >&2
    exit 1
fi
exit $code
