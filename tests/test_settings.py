import json
import subprocess
from pathlib import Path

import pytest

from whispertrans_tray import settings as s
from whispertrans_tray.errors import SettingsError


def test_seed_defaults() -> None:
    d = s.Settings()
    assert d.translation.provider == "vllm"
    assert d.translation.url == "http://localhost:8000/v1/chat/completions"
    assert d.translation.target_language == "繁體中文"
    assert d.translation.model == "Qwen/Qwen2-7B-Instruct"
    assert d.asr.model == "base"
    assert d.ui_language == "zh-TW"


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    original = s.replace(s.replace(s.Settings(), "asr.language", "en"),
                         "translation.glossary", [["vLLM", "vLLM"], ["GPU", "顯示卡"]])
    s.save(original, path)
    loaded = s.load(path)
    assert loaded.problems == ()
    assert loaded.settings == original
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["translation"]["target_language"] == "繁體中文"
    assert not list(path.parent.glob("*.tmp"))


def test_missing_file_gives_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert s.load(tmp_path / "none.json") == s.LoadResult(s.Settings())


@pytest.mark.parametrize(("lang", "expected"), [("en_US.UTF-8", "en"), ("zh_TW.UTF-8", "zh-TW"),
                                                ("zh_CN.UTF-8", "zh-TW"), ("de_DE", "zh-TW")])
def test_first_start_follows_the_os_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             lang: str, expected: str) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    assert s.load(tmp_path / "none.json").settings.ui_language == expected


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\x00\x01"])
def test_corrupt_file_is_kept_as_bak(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    result = s.load(path, lang="en")
    assert result.settings == s.Settings()
    assert len(result.problems) == 1
    assert "corrupt" in result.problems[0] and str(path) in result.problems[0]
    assert (tmp_path / "settings.json.bak").read_text(encoding="utf-8") == content
    assert not path.exists()


@pytest.mark.parametrize(("name", "content"), [
    ("big5", "{\"ui_language\": \"en\", \"x\": \"繁體\"}".encode("big5")),
    ("deep", b"[" * 100_000 + b"]" * 100_000),
    ("deep-object", b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
])
def test_hostile_files_never_crash_loading(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    result = s.load(path, lang="en")
    assert result.settings == s.Settings(), name
    assert len(result.problems) == 1 and "corrupt" in result.problems[0]
    assert (tmp_path / "settings.json.bak").read_bytes() == content


def test_a_second_corruption_keeps_the_first_backup(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for n, content in enumerate(["{first", "{second", "{third"]):
        path.write_text(content, encoding="utf-8")
        result = s.load(path, lang="en")
        expected = "settings.json.bak" + (f".{n}" if n else "")
        assert expected in result.problems[0]
    assert (tmp_path / "settings.json.bak").read_text(encoding="utf-8") == "{first"
    assert (tmp_path / "settings.json.bak.1").read_text(encoding="utf-8") == "{second"
    assert (tmp_path / "settings.json.bak.2").read_text(encoding="utf-8") == "{third"


def test_a_folder_instead_of_a_file_is_named_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()
    result = s.load(path, lang="en")
    assert result.settings == s.Settings()
    assert "cannot be read" in result.problems[0] and str(path) in result.problems[0]
    assert "backed up" not in result.problems[0] and " - " not in result.problems[0]
    assert path.is_dir()


def test_a_corrupt_file_in_a_read_only_folder(tmp_path: Path) -> None:
    """The file cannot be moved aside: it is left as it is and the message says why.

    The folder is made immutable (``chattr +i``), which stops root as well as users.
    """
    folder = tmp_path / "cfg"
    folder.mkdir()
    path = folder / "settings.json"
    path.write_text("{corrupt", encoding="utf-8")
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        result = s.load(path, lang="zh-TW")
        with pytest.raises(SettingsError) as refused:
            s.save(s.Settings(), path)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert result.settings == s.Settings()
    assert "無法備份" in result.problems[0] and str(path) in result.problems[0]
    # the causes in words, in the UI language: where the JSON broke, and why it stays
    assert "不是有效的 JSON（第 1 行第 2 欄）" in result.problems[0]
    assert "沒有存取權限" in result.problems[0]
    assert "沒有存取權限" in refused.value.message("zh-TW")
    assert "permission denied" in refused.value.message("en")
    for text in (result.problems[0], refused.value.message("zh-TW")):
        assert "Errno" not in text and "Error" not in text and "Expecting" not in text
    assert path.read_text(encoding="utf-8") == "{corrupt"
    assert sorted(p.name for p in folder.iterdir()) == ["settings.json"]


@pytest.mark.parametrize(("field", "raw"), [
    ("temperature", "NaN"), ("temperature", "Infinity"), ("temperature", "-Infinity"),
    ("max_tokens", "1" + "0" * 400),
])
def test_non_finite_and_huge_numbers_keep_the_default(tmp_path: Path, field: str,
                                                      raw: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(f'{{"translation": {{"{field}": {raw}}}}}', encoding="utf-8")
    result = s.load(path, lang="en")
    assert result.settings == s.Settings()
    assert result.fields == (f"translation.{field}",)
    with pytest.raises(SettingsError):
        s.replace(s.Settings(), "translation.temperature", float("nan"))


def test_nan_opacity_keeps_the_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"overlay": {"opacity": NaN}}', encoding="utf-8")
    result = s.load(path, lang="en")
    assert result.settings.overlay.opacity == s.OverlaySettings().opacity
    assert result.fields == ("overlay.opacity",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", "hot"),
        ("temperature", 5.0),
        ("provider", "bard"),
        ("enabled", "yes"),
        ("max_tokens", 1.5),
        ("glossary", [["only-one"]]),
    ],
)
def test_invalid_field_names_the_field_and_keeps_the_rest(tmp_path: Path, field: str,
                                                           value: object) -> None:
    path = tmp_path / "settings.json"
    data = s.to_dict(s.Settings())
    data["translation"][field] = value
    data["translation"]["model"] = "my-model"
    data["ui_language"] = "en"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = s.load(path)
    assert len(result.problems) == 1
    assert f"'translation.{field}'" in result.problems[0]
    assert getattr(result.settings.translation, field) == getattr(s.TranslationSettings(), field)
    assert result.settings.translation.model == "my-model"


def test_messages_follow_the_ui_language(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": "zh-TW", "asr": {"beam_size": 0}}), "utf-8")
    (problem,) = s.load(path).problems
    assert "設定欄位「asr.beam_size」" in problem


def test_unknown_field_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": "en", "asr": {"colour": "red"}}), "utf-8")
    (problem,) = s.load(path).problems
    assert "asr.colour" in problem


def test_replace_rejects_invalid_values() -> None:
    with pytest.raises(SettingsError):
        s.replace(s.Settings(), "overlay.opacity", 3)
    with pytest.raises(SettingsError):
        s.replace(s.Settings(), "overlay.nothing", 3)


def test_save_failure_names_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SettingsError) as info:
        s.save(s.Settings(), blocker / "settings.json")
    assert str(blocker) in info.value.message("en")


def test_overlay_positions_round_trip_and_validate(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    layout = s.replace(s.Settings(), "overlay.positions", [["1600x900+0+0", 300, 700]])
    s.save(layout, path)
    assert s.load(path).settings.overlay.positions == (("1600x900+0+0", 300, 700),)
    data = json.loads(path.read_text("utf-8"))
    data["overlay"]["positions"] = [["1600x900+0+0", "left", 700]]
    data["ui_language"] = "en"
    path.write_text(json.dumps(data), "utf-8")
    (problem,) = s.load(path).problems
    assert "'overlay.positions'" in problem and "[str, int, int]" in problem


def test_every_provider_has_a_preset_in_menu_order() -> None:
    from whispertrans_tray.presets import PRESETS, with_provider

    assert tuple(PRESETS) == s.PROVIDERS
    ollama = with_provider(s.TranslationSettings(), "ollama")
    assert (ollama.provider, ollama.url, ollama.model) == (
        "ollama", "http://localhost:11434/v1/chat/completions", "qwen2.5:7b")
    custom = with_provider(ollama, "custom")  # no model to suggest: the model stays
    assert custom.model == "qwen2.5:7b" and custom.url.startswith("http://localhost:8080")


@pytest.mark.parametrize(("given", "used"), [("en", "en"), ("auto", "auto"), ("English", "en"),
                                             ("en-US", "en"), ("ZH", "zh"), ("yue", "yue")])
def test_a_spoken_language_whisper_knows_is_kept_as_its_code(tmp_path: Path, given: str,
                                                            used: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"asr": {"language": given}}), "utf-8")
    result = s.load(path, "en")
    assert result.problems == () and result.settings.asr.language == used


@pytest.mark.parametrize(("lang", "words"), [("en", "Whisper knows no such language"),
                                             ("zh-TW", "Whisper 不認得這個語言")])
def test_an_unknown_spoken_language_is_named_and_auto_used(tmp_path: Path, lang: str,
                                                          words: str) -> None:
    """``asr.language: "xx"`` once failed every decode (a ValueError in faster-whisper)."""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": lang, "asr": {"language": "xx", "beam_size": 3}}),
                    "utf-8")
    result = s.load(path)
    assert result.fields == ("asr.language",)
    (problem,) = result.problems
    assert "asr.language" in problem and "'xx'" in problem and words in problem
    assert "'auto'" in problem and "en, zh" in problem
    assert result.settings.asr.language == "auto" and result.settings.asr.beam_size == 3
    with pytest.raises(SettingsError):
        s.replace(s.Settings(), "asr.language", "klingon")


def test_an_unknown_compute_type_is_named_with_the_valid_ones(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": "en", "asr": {"compute_type": "bogus"}}), "utf-8")
    result = s.load(path)
    (problem,) = result.problems
    assert "'asr.compute_type'" in problem and "'bogus'" in problem
    assert all(kind in problem for kind in s.COMPUTE_TYPES)
    assert result.settings.asr.compute_type == "auto"
    assert s.replace(s.Settings(), "asr.compute_type", "int8").asr.compute_type == "int8"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_malformed_fallback_row_drops_only_that_row(tmp_path: Path, lang: str) -> None:
    rows = [["vllm", "http://a:8000/v1", "m1"], ["vllm", "http://b/v1", "m2", "x", "y"],
            ["ollama"], ["bard", "http://c/v1", "m3"], ["custom", "http://d/v1", "m4"]]
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": lang, "translation": {"fallbacks": rows}}),
                    "utf-8")
    result = s.load(path)
    assert result.settings.translation.fallbacks == (
        ("vllm", "http://a:8000/v1", "m1"), ("custom", "http://d/v1", "m4"))
    assert result.fields == ("translation.fallbacks",) * 3
    for problem, bad in zip(result.problems, (rows[1], rows[2], rows[3])):
        assert repr(bad) in problem and "translation.fallbacks" in problem
    left_out = "That row was left out" if lang == "en" else "已略過這一列"
    assert all(left_out in problem for problem in result.problems)
