"""Silero VAD, streaming: the ONNX model that faster-whisper ships, run window by window.

The model takes 512-sample windows (32 ms at 16 kHz) each prefixed with the last 64 samples of
the previous window, and carries an LSTM state (h, c) from call to call, so feeding a stream in
pieces gives the same probabilities as feeding it whole.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import numpy.typing as npt

from whispertrans_tray.core.types import Audio

WINDOW = 512
CONTEXT = 64


def model_path() -> str:
    """Path of ``silero_vad_v6.onnx`` inside the installed faster-whisper."""
    from faster_whisper.utils import get_assets_path

    return os.path.join(get_assets_path(), "silero_vad_v6.onnx")


class SileroVad:
    """Speech probability per 512-sample window, with state kept between calls."""

    window = WINDOW

    def __init__(self, path: str | None = None) -> None:
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.enable_cpu_mem_arena = False
        opts.log_severity_level = 4
        self._session: Any = onnxruntime.InferenceSession(
            path or model_path(), providers=["CPUExecutionProvider"], sess_options=opts
        )
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)

    def __call__(self, windows: Audio) -> npt.NDArray[np.float32]:
        if windows.ndim != 2 or windows.shape[1] != WINDOW:
            raise ValueError(f"expected windows of shape (n, {WINDOW}), got {windows.shape}")
        n = windows.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        contexts = np.empty((n, CONTEXT), dtype=np.float32)
        contexts[0] = self._context
        contexts[1:] = windows[:-1, -CONTEXT:]
        batch = np.concatenate([contexts, windows.astype(np.float32, copy=False)], axis=1)
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = windows[-1, -CONTEXT:].copy()
        probs: npt.NDArray[np.float32] = np.asarray(out, dtype=np.float32).reshape(n)
        return probs
