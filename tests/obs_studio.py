"""A real OBS Studio (Debian's obs-studio 29, obs-websocket 5 built in) for the OBS tests.

OBS runs under its own Xvfb (Mesa's llvmpipe gives it OpenGL 4.5 there) with a temporary HOME:
its ``~/.config/obs-studio`` is written here with a profile, a scene collection holding a text
source (``text_ft2_source_v2``, Noto Sans CJK TC) named :data:`TEXT_SOURCE` and a colour source
(not text) named :data:`COLOR_SOURCE`, and the WebSocket server's settings (``global.ini``,
section ``OBSWebSocket``: enabled, port, password).  ``obs`` is started with ``--multi``
(beside another test OBS), ``--disable-shutdown-check`` (no crash dialog after a kill) and
``--minimize-to-tray``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.desktop_env import _die_with_parent, start_xvfb
from whispertrans_tray.providers.obs_websocket import ObsConnection

TEXT_SOURCE = "Subtitles"
COLOR_SOURCE = "Backdrop"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scene_collection() -> dict[str, Any]:
    item = {"name": TEXT_SOURCE, "id": 1, "visible": True, "locked": False,
            "pos": {"x": 20.0, "y": 150.0}, "scale": {"x": 1.0, "y": 1.0}, "rot": 0.0,
            "align": 5, "bounds_type": 0, "bounds_align": 0, "bounds": {"x": 0.0, "y": 0.0}}
    backdrop = {**item, "name": COLOR_SOURCE, "id": 2, "pos": {"x": 0.0, "y": 0.0}}
    return {
        "name": "Test", "current_scene": "Scene", "current_program_scene": "Scene",
        "scene_order": [{"name": "Scene"}], "groups": [], "transitions": [],
        "quick_transitions": [], "saved_projectors": [], "current_transition": "Fade",
        "transition_duration": 300,
        "sources": [
            {"id": "scene", "versioned_id": "scene", "name": "Scene", "enabled": True,
             "mixers": 0, "settings": {"id_counter": 2, "custom_size": False,
                                       "items": [backdrop, item]}},
            {"id": "color_source", "versioned_id": "color_source_v3", "name": COLOR_SOURCE,
             "enabled": True, "mixers": 0,
             "settings": {"color": 4281545523, "width": 640, "height": 360}},
            {"id": "text_ft2_source", "versioned_id": "text_ft2_source_v2",
             "name": TEXT_SOURCE, "enabled": True, "mixers": 0,
             "settings": {"text": "", "outline": True, "font": {
                 "face": "Noto Sans CJK TC", "size": 28, "style": "Regular", "flags": 0}}},
        ],
    }


class ObsStudio:
    """OBS Studio on its own X screen, its WebSocket server on ``port`` with ``password``."""

    def __init__(self, home: Path, password: str = "", port: int | None = None,
                 stream_to: str = "") -> None:
        if shutil.which("obs") is None:
            raise RuntimeError("obs-studio is not installed (scripts/setup.sh --dev)")
        self.home = home
        self.password = password
        self.port = port or free_port()
        self.url = f"ws://127.0.0.1:{self.port}"
        self.log = home / "obs.log"
        self.stream_to = stream_to
        """An RTMP URL (``rtmp://127.0.0.1:PORT/live``) the stream goes to, key ``test``."""
        self._xvfb, self.display = start_xvfb((1280, 800))
        self._proc: subprocess.Popen[bytes] | None = None
        self._configure()

    def _configure(self) -> None:
        config = self.home / ".config" / "obs-studio"
        (config / "basic" / "scenes").mkdir(parents=True, exist_ok=True)
        (config / "basic" / "profiles" / "Test").mkdir(parents=True, exist_ok=True)
        auth = "true" if self.password else "false"
        (config / "global.ini").write_text(
            "[General]\nFirstRun=true\nEnableAutoUpdates=false\nConfirmOnExit=false\n\n"
            "[Basic]\nProfile=Test\nProfileDir=Test\nSceneCollection=Test\n"
            "SceneCollectionFile=Test\n\n"
            f"[OBSWebSocket]\nFirstLoad=false\nServerEnabled=true\nServerPort={self.port}\n"
            f"AlertsEnabled=false\nAuthRequired={auth}\nServerPassword={self.password}\n")
        profile = config / "basic" / "profiles" / "Test"
        profile.joinpath("basic.ini").write_text(
            "[General]\nName=Test\n\n[Video]\nBaseCX=640\nBaseCY=360\nOutputCX=640\n"
            "OutputCY=360\nFPSType=0\nFPSCommon=10\n\n[Output]\nMode=Simple\n\n"
            "[SimpleOutput]\nVBitrate=200\nABitrate=64\nStreamEncoder=x264\n"
            "Preset=ultrafast\n")
        if self.stream_to:
            profile.joinpath("service.json").write_text(json.dumps(
                {"type": "rtmp_custom", "settings": {"server": self.stream_to, "key": "test",
                                                     "use_auth": False}}))
        (config / "basic" / "scenes" / "Test.json").write_text(
            json.dumps(_scene_collection()), encoding="utf-8")

    def start(self, timeout: float = 90) -> None:
        """Start OBS and wait until its WebSocket server answers."""
        env = {**os.environ, "HOME": str(self.home), "DISPLAY": self.display,
               "LIBGL_ALWAYS_SOFTWARE": "1", "XDG_CONFIG_HOME": str(self.home / ".config")}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        with self.log.open("ab") as log:
            # OBS finds its data relative to its working folder's parent on some builds:
            # started from /usr/bin as its packaging does.
            self._proc = subprocess.Popen(
                ["obs", "--multi", "--disable-shutdown-check", "--minimize-to-tray",
                 "--disable-updater"],
                cwd="/usr/bin", env=env, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent)
        end = time.monotonic() + timeout
        while not self._answers():
            if self._proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError(f"OBS did not start (exit {self._proc.poll()}); see "
                                   f"{self.log}:\n{self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)

    def _answers(self) -> bool:
        """Whether the WebSocket server accepts a connection and says Hello."""
        from websockets.sync.client import connect

        try:
            with connect(self.url, open_timeout=2, proxy=None) as ws:
                return '"op":0' in str(ws.recv(timeout=2)).replace(" ", "")
        except Exception:
            return False

    def stop(self) -> None:
        """Kill OBS (as a crash would: the tests restart it mid-session)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(30)
        self._proc = None

    def close(self) -> None:
        self.stop()
        self._xvfb.kill()
        self._xvfb.wait(10)

    def screenshot(self, path: Path) -> Path:
        subprocess.run(["import", "-display", self.display, "-window", "root", str(path)],
                       check=True, timeout=60)
        return path


@contextmanager
def running_obs(home: Path, password: str) -> Iterator[ObsStudio]:
    """A real OBS Studio started with its WebSocket on ``password``, closed afterwards (a
    module's fixture: starting it takes seconds)."""
    studio = ObsStudio(home, password)
    try:
        studio.start()
        yield studio
    finally:
        studio.close()


def shown(studio: ObsStudio, source: str = TEXT_SOURCE) -> str:
    """The text source's text as OBS has it (GetInputSettings)."""
    link = ObsConnection(studio.url, studio.password)
    try:
        return str(link.request("GetInputSettings", {"inputName": source})
                   ["inputSettings"].get("text", ""))
    finally:
        link.close()


def until(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    """Wait until ``condition()`` holds; an AssertionError naming ``what`` after ``timeout``."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"not reached in {timeout:.0f} s: {what}")
        time.sleep(0.05)


class RtmpServer:
    """nginx with its RTMP module on 127.0.0.1, recording each stream (``live/test``) to
    ``folder/test.flv``: where the test OBS streams to."""

    def __init__(self, folder: Path) -> None:
        module = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
        if shutil.which("nginx") is None or not module.exists():
            raise RuntimeError("nginx-light and libnginx-mod-rtmp are not installed "
                               "(scripts/setup.sh --dev)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.url = f"rtmp://127.0.0.1:{port}/live"
        self.recording = folder / "test.flv"
        config = folder / "nginx.conf"
        config.write_text(
            f"load_module {module};\ndaemon off;\nmaster_process off;\n"
            f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log info;\n"
            "events { worker_connections 64; }\n"
            f"rtmp {{ server {{ listen 127.0.0.1:{port}; application live {{ live on; "
            f"record all; record_path {folder}; record_unique off; }} }} }}\n")
        self._proc = subprocess.Popen(["nginx", "-c", str(config), "-p", f"{folder}/"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      preexec_fn=_die_with_parent)
        end = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if self._proc.poll() is not None or time.monotonic() > end:
                    raise RuntimeError(f"nginx did not start: {folder / 'error.log'}") from None
                time.sleep(0.1)

    def close(self) -> None:
        self._proc.terminate()
        self._proc.wait(30)


def stream_captions(flv: Path) -> list[str]:
    """The CEA-608 captions in an FLV's H.264 stream: each caption SEI (ATSC A/53 ``GA94``
    user data) decoded to its printable characters, control codes as line breaks."""
    import av

    captions = []
    with av.open(str(flv)) as container:
        for packet in container.demux(video=0):
            raw = bytes(packet).replace(b"\x00\x00\x03", b"\x00\x00")  # emulation bytes
            at = raw.find(b"GA94")
            while at >= 0:
                count = raw[at + 5] & 0x1F
                data = raw[at + 7: at + 7 + 3 * count]
                chars: list[str] = []
                for i in range(0, len(data) - 2, 3):
                    head, first, second = data[i], data[i + 1] & 0x7F, data[i + 2] & 0x7F
                    if not head & 4 or head & 3:  # not a valid field-1 (608) pair
                        continue
                    if 0x10 <= first <= 0x1F:  # a control code (positions, roll-up…)
                        chars.append("\n")
                        continue
                    chars += [chr(b) for b in (first, second) if b >= 0x20]
                captions.append(" ".join("".join(chars).split()))
                at = raw.find(b"GA94", at + 4)
    return captions
