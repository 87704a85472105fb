# Run the whole test suite on Windows: lint, types, layering contracts, then pytest.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
& .venv\Scripts\ruff.exe check whispertrans_tray tests benchmarks scripts installer
if ($LASTEXITCODE -ne 0) { exit 1 }
& .venv\Scripts\mypy.exe
if ($LASTEXITCODE -ne 0) { exit 1 }
& .venv\Scripts\lint-imports.exe
if ($LASTEXITCODE -ne 0) { exit 1 }
& .venv\Scripts\python.exe -m pytest @args
$code = $LASTEXITCODE
if ($code -eq 5) { Write-Error "pytest collected no tests: the suite is broken"; exit 1 }
# The Windows-only tests (tests/windows: Win32 flags, registry, console, keyboard hotkeys),
# which the run above does not collect; on Linux scripts/test-windows.sh runs them under Wine.
if ($args.Count -eq 0) {
    & .venv\Scripts\python.exe -m pytest --capture=sys -p no:cacheprovider --confcutdir tests/windows tests/windows
    if ($LASTEXITCODE -ne 0) { $code = 1 }
}
exit $code
