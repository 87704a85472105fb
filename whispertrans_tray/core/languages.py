"""Target languages: the names the user picks, their aliases and Whisper codes.

One list for the tray menu, the settings window, the CLI and the prompts.  Pure data and
string logic.
"""

from __future__ import annotations

# Target-language names as the user picks them, and the Whisper codes that mean "already in it".
LANGUAGES: dict[str, tuple[str, str]] = {
    "繁體中文": ("zh", "Traditional Chinese (繁體中文, as used in Taiwan)"),
    "简体中文": ("zh", "Simplified Chinese (简体中文)"),
    "English": ("en", "English"),
    "日本語": ("ja", "Japanese (日本語)"),
    "한국어": ("ko", "Korean (한국어)"),
    "Español": ("es", "Spanish (Español)"),
    "Français": ("fr", "French (Français)"),
    "Deutsch": ("de", "German (Deutsch)"),
}


# Other ways to name them (CLI ``--target zh-TW``, locale codes, English names), lower-case.
ALIASES: dict[str, str] = {
    **{alias: "繁體中文" for alias in (
        "zh", "zh-tw", "zh-hant", "zh-hk", "zh-mo", "tw", "繁中", "正體中文", "中文",
        "traditional chinese", "chinese", "cht")},
    **{alias: "简体中文" for alias in (
        "zh-cn", "zh-hans", "zh-sg", "简中", "simplified chinese", "chs")},
    **{alias: "English" for alias in ("en", "en-us", "en-gb", "english", "英文", "英語")},
    **{alias: "日本語" for alias in ("ja", "ja-jp", "japanese", "日文", "日語")},
    **{alias: "한국어" for alias in ("ko", "ko-kr", "korean", "韓文", "韓語")},
    **{alias: "Español" for alias in ("es", "spanish", "español")},
    **{alias: "Français" for alias in ("fr", "french", "français")},
    **{alias: "Deutsch" for alias in ("de", "german", "deutsch")},
}


def canonical(name: str) -> str:
    """The :data:`LANGUAGES` name for ``name`` (``zh-TW`` → 繁體中文), or ``name`` itself."""
    text = name.strip()
    if text in LANGUAGES:
        return text
    return ALIASES.get(text.lower().replace("_", "-"), text)


def language_code(name: str) -> str:
    """The Whisper code of a target language name (an unknown name is its own code)."""
    entry = LANGUAGES.get(canonical(name))
    return entry[0] if entry else name.strip().lower().split("-")[0]


def describe(name: str) -> str:
    """How the system prompt names the language."""
    entry = LANGUAGES.get(canonical(name))
    return entry[1] if entry else name


def choose_target(spoken: str, target: str, second: str) -> str:
    """Bidirectional: a sentence already in the target language goes to the second one."""
    return second if spoken and spoken == language_code(target) else target
