"""Chinese script conversion with OpenCC.

Whisper picks the Chinese script by itself (mostly Traditional, sometimes mixed), and prompts
do not control it reliably, so recognised Chinese is converted to the script the user reads:
``traditional`` uses OpenCC ``s2twp`` (Taiwan standard with Taiwanese phrasing: 軟體, 滑鼠),
``simplified`` uses ``t2s``.
"""

from __future__ import annotations

from typing import Any

_CONFIGS = {"traditional": "s2twp", "simplified": "t2s"}
CHINESE_LANGUAGES = frozenset({"zh", "yue"})


class ChineseScript:
    """A :class:`~whispertrans_tray.core.types.TextTransform` for Chinese sentences."""

    def __init__(self, script: str = "traditional") -> None:
        if script != "asis" and script not in _CONFIGS:
            raise ValueError(f"unknown Chinese script {script!r}")
        self.script = script
        self._converter: Any = None
        if script in _CONFIGS:
            from opencc import OpenCC

            self._converter = OpenCC(_CONFIGS[script])

    def __call__(self, text: str, language: str) -> str:
        if self._converter is None or language not in CHINESE_LANGUAGES:
            return text
        return str(self._converter.convert(text))
