"""The real pystray GTK tray on Xvfb with a tray host (trayer), D-Bus and dunst."""

from __future__ import annotations

import dataclasses
import subprocess
import time
from typing import Any

import pytest

from whispertrans_tray.desktop.tray import Tray, TrayActions, TrayState

pytestmark = pytest.mark.usefixtures("desktop")


class Recorder:
    """Real callbacks that change a state, like the app's do."""

    def __init__(self) -> None:
        self.state = TrayState(devices=(("loopback", "Speaker"), ("mic", "VirtualMic")),
                               autostart=False)
        self.calls: list[tuple[str, ...]] = []

    def _set(self, name: str, **changes: Any) -> None:
        self.calls.append((name, *map(str, changes.values())))
        self.state = dataclasses.replace(self.state, **changes)

    def actions(self) -> TrayActions:
        return TrayActions(
            toggle_recording=lambda: self._set("rec", status="idle" if self.state.status ==
                                               "recording" else "recording"),
            set_source=lambda kind, device: self._set("source", source=kind, device=device),
            set_provider=lambda p: self._set("provider", provider=p),
            set_target=lambda t: self._set("target", target=t),
            toggle_translation=lambda: self._set("translate",
                                                 translating=not self.state.translating),
            test_connection=lambda: self.calls.append(("test",)),
            toggle_overlay=lambda: self._set("overlay",
                                             overlay_visible=not self.state.overlay_visible),
            toggle_lock=lambda: self._set("lock", locked=not self.state.locked),
            export_history=lambda: self.calls.append(("export",)),
            open_settings=lambda: self.calls.append(("settings",)),
            toggle_autostart=lambda: self._set("autostart", autostart=not self.state.autostart),
            quit=lambda: self.calls.append(("quit",)),
            set_asr_backend=lambda b: self._set("asr", asr_backend=b),
            toggle_drafts=lambda: self._set("drafts", drafts=not self.state.drafts),
        )


def find(items: Any, label: str) -> Any:
    for item in items:
        if item.text == label:
            return item
    raise AssertionError(f"no menu item {label!r} in {[i.text for i in items]}")


def test_tray_menu_items_change_the_state() -> None:
    rec = Recorder()
    tray = Tray(lambda: rec.state, rec.actions())
    tray.start()
    try:
        icon = tray.icon
        items = list(icon.menu.items)
        import pystray

        labels = [i.text for i in items if i is not pystray.Menu.SEPARATOR]
        assert labels == ["開始錄音", "音訊來源", "語音辨識", "LLM 提供商", "翻譯成",
                          "啟用即時翻譯", "僅顯示穩定翻譯", "測試連線", "顯示字幕", "鎖定字幕",
                          "歷史紀錄與匯出…", "顯示觀看連結", "設定…", "登入時啟動", "結束"]
        assert find(items, "開始錄音").default
        find(items, "開始錄音")(icon)
        assert rec.state.status == "recording"
        tray.refresh()
        assert find(list(icon.menu.items), "停止錄音")  # the label follows the state
        target_menu = list(find(items, "翻譯成").submenu.items)
        assert [i.text for i in target_menu][:3] == ["繁體中文", "简体中文", "English"]
        assert find(target_menu, "繁體中文").checked and find(target_menu, "繁體中文").radio
        find(target_menu, "日本語")(icon)
        assert rec.state.target == "日本語" and find(target_menu, "日本語").checked
        providers = list(find(items, "LLM 提供商").submenu.items)
        find(providers, "Ollama")(icon)
        assert rec.state.provider == "ollama" and find(providers, "Ollama").checked
        translate = find(items, "啟用即時翻譯")
        assert not translate.checked
        translate(icon)
        assert translate.checked
        stable = find(items, "僅顯示穩定翻譯")  # drafts off: the stable view is the one shown
        assert stable.checked and not rec.state.drafts
        stable(icon)
        assert rec.state.drafts and not stable.checked
        asr = list(find(items, "語音辨識").submenu.items)
        assert [i.text for i in asr] == ["本機（faster-whisper）", "遠端伺服器（見設定）"]
        remote = find(asr, "遠端伺服器（見設定）")
        assert find(asr, "本機（faster-whisper）").checked and remote.radio
        remote(icon)
        assert rec.state.asr_backend == "remote" and remote.checked
        sources = list(find(items, "音訊來源").submenu.items)
        find(sources, "麥克風: VirtualMic")(icon)
        assert (rec.state.source, rec.state.device) == ("mic", "VirtualMic")
        both = find(sources, "系統音訊＋麥克風")  # both sides of a call
        assert both.radio and not both.checked
        both(icon)
        assert rec.state.source == "both" and both.checked
        for label in ("測試連線", "鎖定字幕", "顯示字幕", "歷史紀錄與匯出…", "設定…", "結束"):
            find(items, label)(icon)
        assert [c[0] for c in rec.calls[-6:]] == ["test", "lock", "overlay", "export",
                                                  "settings", "quit"]
        login = find(items, "登入時啟動")
        assert login.visible and not login.checked
        login(icon)
        assert rec.state.autostart and login.checked
        rec.state = dataclasses.replace(rec.state, ui_language="en")
        tray.refresh()
        assert find(list(icon.menu.items), "Live translation").checked
        assert not find(list(icon.menu.items), "Stable translations only").checked
    finally:
        tray.stop()


def dunst_history() -> str:
    """Texts of the notifications dunst received (closing moves shown ones to the history)."""
    subprocess.run(["dunstctl", "close-all"], check=True)
    return subprocess.run(["dunstctl", "history"], capture_output=True, text=True,
                          check=True).stdout


def test_notifications_reach_the_daemon_and_the_icon_shows_the_state() -> None:
    rec = Recorder()
    tray = Tray(lambda: rec.state, rec.actions())
    tray.start()
    try:
        idle = tray.icon.icon.convert("RGB").getpixel((32, 7))
        tray.notify("✓ 連線成功！", "測試連線")
        deadline = time.monotonic() + 30
        while "連線成功" not in dunst_history() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "✓ 連線成功！" in dunst_history()
        rec.state = dataclasses.replace(rec.state, status="recording")
        tray.refresh()
        red, green, blue = tray.icon.icon.convert("RGB").getpixel((32, 7))
        assert green > red + 60 and green > blue + 30, "listening is green"
        assert (red, green, blue) != idle
        rec.state = dataclasses.replace(rec.state, status="error")
        tray.refresh()
        red, green, blue = tray.icon.icon.convert("RGB").getpixel((32, 7))
        assert red > green + 80, "error is red"
        assert "錄音中" not in tray.icon.title and "發生錯誤" in tray.icon.title
    finally:
        tray.stop()
