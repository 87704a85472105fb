"""The translation providers' defaults: the one list the CLI, the tray menu and the settings
window choose from (the providers themselves are :data:`whispertrans_tray.settings.PROVIDERS`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from whispertrans_tray.settings import Provider, TranslationSettings


@dataclass(frozen=True)
class Preset:
    """A translation provider's defaults.

    Attributes:
        label: The provider's name in menus (LLM 提供商).
        url: Its usual chat completions URL.
        model: Its usual model name; empty when there is none to suggest.
        key_required: Whether the server needs an API key.
    """

    label: str
    url: str
    model: str
    key_required: bool


PRESETS: dict[Provider, Preset] = {
    "vllm": Preset("本地模型 (vLLM)", "http://localhost:8000/v1/chat/completions",
                   "Qwen/Qwen2-7B-Instruct", False),
    "openai": Preset("OpenAI", "https://api.openai.com/v1/chat/completions", "gpt-4o-mini", True),
    "ollama": Preset("Ollama", "http://localhost:11434/v1/chat/completions", "qwen2.5:7b", False),
    "custom": Preset("Custom", "http://localhost:8080/v1/chat/completions", "", False),
}


def with_provider(translation: TranslationSettings, provider: Provider) -> TranslationSettings:
    """``translation`` switched to ``provider``: its preset URL, and its model if it has one."""
    preset = PRESETS[provider]
    return dataclasses.replace(translation, provider=provider, url=preset.url,
                               model=preset.model or translation.model)
