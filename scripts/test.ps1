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
if ($LASTEXITCODE -eq 5) { Write-Error "pytest collected no tests: the suite is broken"; exit 1 }
exit $LASTEXITCODE
