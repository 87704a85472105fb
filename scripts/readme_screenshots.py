"""Make the README's screenshots from real runs (needs `scripts/setup.sh --dev`).

    .venv/bin/python scripts/readme_screenshots.py [--out assets/readme]

On a private Xvfb desktop (the test suite's: compositor, D-Bus, tray host, notifications) a
"video" is shown full screen: a film frame painted here (sunset over the sea, no file needed).
Over it the real tray app runs (bundled Whisper base, the real test LLM server SmolLM2-135M via
xllamacpp), listening to the speaker sink while a clip plays into it, in both subtitle styles
and both UI languages:

* ``overlay-box-zh.png``, ``overlay-outline-zh.png``: English speech (JFK), UI 繁體中文,
  translated to 繁體中文;
* ``overlay-box-en.png``, ``overlay-outline-en.png``: Mandarin speech (AISHELL), UI English,
  translated to English (the second language);
* ``overlay-both-zh.png``: both sides of a call (audio source ``both``): the other side's
  English (JFK, played into the speaker) translated, then yours (LibriSpeech, played into the
  virtual microphone) transcribed only, each line after its label (對方, 我);
* ``overlay-down-zh.png``: the translation server unplugged: the sentence in the big line,
  one short status, and the outage's notification (cause and fix) as dunst showed it (taken
  back from dunst's history: it has timed out by the time every sentence has failed);
* ``settings.png``: the settings window after 測試連線 against the same server;
  ``settings-style.png``: its subtitle section with the outline style's live preview.

A 135M model translates poorly (it often echoes or rambles: answers are capped at 48 tokens);
the pictures show what the app does, not a good model.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from tests.app_harness import app_env, app_log, history, wait_for  # noqa: E402
from tests.desktop_env import SCREEN, desktop  # noqa: E402
from tests.pulse import play, pulse, write_wav  # noqa: E402
from tests.servers._http import free_port  # noqa: E402
from tests.servers.llama import MODEL_ALIAS, start_server  # noqa: E402
from whispertrans_tray import settings as settings_mod  # noqa: E402
from whispertrans_tray.app.live import read_audio  # noqa: E402
from whispertrans_tray.i18n import tr  # noqa: E402

DATA = ROOT / "tests" / "data"
PLAYER = """
import sys, tkinter as tk
from PIL import Image, ImageTk
root = tk.Tk(); root.overrideredirect(True)
root.geometry(f"{root.winfo_screenwidth()}x{root.winfo_screenheight()}+0+0")
photo = ImageTk.PhotoImage(Image.open(sys.argv[1]))
tk.Label(root, image=photo, bd=0).pack()
root.mainloop()
"""


def film_frame(size: tuple[int, int]) -> Image.Image:
    """A sunset over the sea with hills: bright sky, dark water, like a film's frame."""
    width, height = size
    horizon = int(height * 0.58)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(horizon):  # sky: deep blue to warm orange at the horizon
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(40 + 215 * t ** 1.5), int(60 + 120 * t ** 2),
                                              int(120 - 60 * t)))
    sun = (int(width * 0.62), int(horizon - height * 0.06))
    for r in range(160, 0, -4):  # glow, then the disc
        glow = int(255 * (1 - r / 160) ** 2)
        draw.ellipse([sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r],
                     fill=(255, min(255, 150 + glow // 2), min(255, 60 + glow // 3)))
    rng = random.Random(7)
    for layer, (shade, amp, base) in enumerate(((70, 60, 0.50), (40, 45, 0.56))):
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            y = horizon - int(base * 0 + amp * (1 + math.sin(x / (170 + 60 * layer) + layer))
                              + rng.randint(0, 14))
            points.append((x, y if x < width * 0.45 or layer else horizon + 2))
        points.append((width, height))
        draw.polygon(points, fill=(shade, shade // 2 + 10, shade // 2 + 25))
    for y in range(horizon, height):  # sea: dark, with the sun's path glittering
        t = (y - horizon) / (height - horizon)
        draw.line([(0, y), (width, y)], fill=(int(30 - 20 * t), int(40 - 25 * t),
                                              int(70 - 40 * t)))
    for _ in range(900):
        y = rng.randint(horizon + 2, height - 1)
        spread = 30 + (y - horizon) * 0.9
        x = int(rng.gauss(sun[0], spread / 2))
        length = rng.randint(6, 40)
        draw.line([(x, y), (x + length, y)], fill=(255, rng.randint(170, 230), 110), width=2)
    return image.filter(ImageFilter.GaussianBlur(0.8))


def shoot(path: Path) -> None:
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)


def show_again(title: str) -> None:
    """Show the newest notification titled ``title`` again (from dunst's history)."""
    import json

    listed = subprocess.run(["dunstctl", "history"], capture_output=True, text=True,
                            check=True).stdout
    entries = json.loads(listed)["data"][0]  # newest first
    found = next((e for e in entries if e["summary"]["data"] == title), None)
    if found is None:
        raise RuntimeError(f"no notification {title!r} in {[e['summary'] for e in entries]}")
    subprocess.run(["dunstctl", "history-pop", str(found["id"]["data"])], check=True)
    time.sleep(1.5)


def run_app(work: Path, out: Path, *, style: str, ui: str, clip: str, url: str,
            expect_translation: bool = True, notification: str = "", mic_clip: str = "",
            extra: tuple[tuple[str, object], ...] = ()) -> None:
    """One real run of the tray app over the picture; a screenshot after the clip (with the
    notification titled ``notification`` on screen, if given).  ``mic_clip``: then played
    into the microphone (audio source ``both``: the two sides labelled)."""
    folder = Path(tempfile.mkdtemp(dir=work))
    settings = settings_mod.Settings()
    for dotted, value in (("ui_language", ui), ("translation.enabled", True),
                          ("translation.url", url), ("translation.model", MODEL_ALIAS),
                          ("translation.timeout_s", 120.0), ("overlay.style", style),
                          ("overlay.fade_after_s", 0), ("overlay.font_size", 30),
                          ("overlay.source_font_size", 18), ("overlay.opacity", 0.85),
                          ("overlay.height", 330), ("translation.max_tokens", 48),
                          ("translation.temperature", 0.0), *extra):
        settings = settings_mod.replace(settings, dotted, value)
    path = settings_mod.save(settings, folder / "settings.json")
    wav = write_wav(read_audio(DATA / clip), folder / "clip.wav")
    env = app_env(folder)
    app = subprocess.Popen([sys.executable, "-m", "whispertrans_tray", "--settings", str(path)],
                           env=env)
    try:
        log = app_log(folder)
        if not wait_for(lambda: log.exists() and "Speaker" in log.read_text("utf-8"), 180, 0.3):
            raise RuntimeError(f"the app did not start recording ({log})")
        if mic_clip and not wait_for(lambda: "VirtualMic" in log.read_text("utf-8"), 60):
            raise RuntimeError(f"the app did not record the microphone ({log})")
        play(wav, "spk").wait(60)
        if mic_clip:
            time.sleep(1.0)
            play(write_wav(read_audio(DATA / mic_clip), folder / "mic.wav"), "micfeed").wait(60)

        def done() -> bool:
            rows = history(folder / "data")
            if mic_clip and len({r.get("speaker") for r in rows if r["type"] == "sentence"}) < 2:
                return False
            spoken = [r for r in rows if r["type"] == "sentence"]
            sentences = sum(not mic_clip or r.get("speaker") != tr("both.label_me", ui)
                            for r in spoken)
            finished = [r for r in rows if r["type"] == "translation"]
            return sentences > 0 and len(finished) >= sentences and (
                any(r["text"] for r in finished) or not expect_translation)
        if not wait_for(done, 420):
            raise RuntimeError(f"no translations ({folder})")
        time.sleep(1.5)
        if notification:
            show_again(notification)
        shoot(out)
        print("wrote", out, flush=True)
    finally:
        app.terminate()
        app.wait(15)


def settings_shots(work: Path, out: Path, url: str) -> None:
    """The settings window after 測試連線 against the real server, and its style preview."""
    path = settings_mod.save(settings_mod.replace(settings_mod.replace(
        settings_mod.Settings(), "translation.url", url), "translation.model", MODEL_ALIAS),
        work / "settings-window.json")
    code = f"""
import json, subprocess, time
from pathlib import Path
from whispertrans_tray.__main__ import settings_services
from whispertrans_tray.desktop.settings_window.api import SettingsApi
from whispertrans_tray.desktop.settings_window import create_window
import webview
window = create_window(SettingsApi(settings_services(Path({str(path)!r}))))
def wait(code, timeout=90):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = window.evaluate_js(code)
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError(code)
def shown(path, timeout=30):
    # a loaded machine paints late: shoot until the result's green text is on the screen
    # (nothing else on the page is green)
    from PIL import Image
    end = time.monotonic() + timeout
    while True:
        time.sleep(0.8)
        subprocess.run(["import", "-window", "root", path], check=True)
        pixels = Image.open(path).convert("RGB").getdata()
        if sum(g > 100 and g > r + 40 and g > b + 20 for r, g, b in pixels) > 50:
            return
        if time.monotonic() > end:
            raise TimeoutError("the 測試連線 result was never painted")
def drive():
    try:
        wait("document.getElementById('test') !== null")
        window.evaluate_js("document.getElementById('test').click()")
        print(wait("document.getElementById('conn').className === 'ok' && "
                   "document.getElementById('conn').textContent"), flush=True)
        shown({str(out / "settings.png")!r})
        window.evaluate_js("const s = document.getElementById('f-overlay-style');"
                           "s.value = 'outline'; s.dispatchEvent(new Event('change'));"
                           "s.scrollIntoView({{block: 'start'}}); window.scrollBy(0, -60);")
        time.sleep(0.8)
        subprocess.run(["import", "-window", "root", {str(out / "settings-style.png")!r}],
                       check=True)
    finally:
        window.destroy()
webview.start(drive, gui="gtk")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    print("測試連線:", result.stdout.strip().splitlines()[-1], flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "readme")
    parser.add_argument("--only", default="", help="comma-separated shot names to make")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    args.out.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="wt-shots-"))
    screen = desktop.__wrapped__()  # type: ignore[attr-defined]
    next(screen)
    # a PulseAudio of our own: nothing else played into its speaker is heard by the app
    (work / "pulse").mkdir()
    os.environ["PULSE_RUNTIME_PATH"] = str(work / "pulse")
    audio = pulse.__wrapped__()  # type: ignore[attr-defined]
    next(audio)
    frame = work / "frame.png"
    film_frame(SCREEN).save(frame)
    player = subprocess.Popen([sys.executable, "-c", PLAYER, str(frame)])
    server = start_server(work / "llama.log")
    try:
        time.sleep(1.5)
        for style, ui, clip in (("box", "zh-TW", "jfk.flac"), ("outline", "zh-TW", "jfk.flac"),
                                ("box", "en", "zh_aishell.wav"),
                                ("outline", "en", "zh_aishell.wav")):
            name = f"overlay-{style}-{'zh' if ui == 'zh-TW' else 'en'}"
            if not only or name in only:
                run_app(work, args.out / f"{name}.png", style=style, ui=ui, clip=clip,
                        url=server.url)
        if not only or "overlay-both-zh" in only:  # both sides of a call, labelled
            run_app(work, args.out / "overlay-both-zh.png", style="box", ui="zh-TW",
                    clip="jfk.flac", url=server.url, mic_clip="en_librispeech.wav",
                    extra=(("audio.source", "both"), ("overlay.max_lines", 4),
                           ("overlay.height", 600), ("overlay.font_size", 26),
                           ("asr.language", "en")))
        if not only or "overlay-down-zh" in only:
            run_app(work, args.out / "overlay-down-zh.png", style="outline", ui="zh-TW",
                    clip="jfk.flac", url=f"http://127.0.0.1:{free_port()}/v1/chat/completions",
                    expect_translation=False, notification=tr("translate.outage_title", "zh-TW"))
        if not only or "settings" in only:
            player.terminate()
            settings_shots(work, args.out, server.url)
    finally:
        server.stop()
        player.terminate()
        player.wait(10)
        next(audio, None)  # stops our PulseAudio
    return 0


if __name__ == "__main__":
    sys.exit(main())
