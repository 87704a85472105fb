"""The feed's pages in real headless Chromium (Debian's chromium + chromium-driver, Selenium):
the real app (``listen --replay --feed``) runs, the reader page (a phone-sized window) and the
OBS page render what it committed and wrote to ``-o out.jsonl``; screenshots are kept in the
test's folder (and, for the README, the OBS page is shot over a film frame)."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.servers._http import free_port
from tests.test_feed_cli import finish, rows, start_listen
from whispertrans_tray.app.outputs import LineEvent
from whispertrans_tray.feed.server import FeedServer
from whispertrans_tray.settings import FeedSettings, OverlaySettings

PHONE = (390, 844)
STREAM = (1280, 720)


def chromium(size: tuple[int, int]) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                f"--window-size={size[0]},{size[1]}", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # the page's own size, whatever the window's smallest width (a phone is narrower)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": size[1], "deviceScaleFactor": 2 if size == PHONE else 1,
        "mobile": size == PHONE})
    return driver


@pytest.fixture(scope="module")
def browsers() -> Iterator[tuple[WebDriver, WebDriver]]:
    phone, stream = chromium(PHONE), chromium(STREAM)
    yield phone, stream
    phone.quit()
    stream.quit()


def wait_listening(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the feed never listened"
            time.sleep(0.1)


def dom_lines(driver: WebDriver, selector: str) -> list[dict[str, Any]]:
    """Each subtitle line on the page: its id, source and translation text."""
    script = """return [...document.querySelectorAll(arguments[0])].map(el => ({
        id: Number(el.dataset.id), src: el.querySelector('.src')?.textContent ?? '',
        tr: el.querySelector('.tr')?.textContent ?? ''}));"""
    result: list[dict[str, Any]] = driver.execute_script(script, selector)
    return result


def wait_dom(driver: WebDriver, selector: str, count: int,
             timeout: float = 60) -> list[dict[str, Any]]:
    WebDriverWait(driver, timeout).until(lambda d: len(dom_lines(d, selector)) >= count)
    return dom_lines(driver, selector)


@pytest.mark.parametrize("translate", [False, True], ids=["no-translate", "translate"])
def test_the_pages_render_what_the_app_committed(
        tmp_path: Path, browsers: tuple[WebDriver, WebDriver], translate: bool) -> None:
    from tests.servers.fake_openai import FakeServer

    phone, stream = browsers
    port = free_port()
    reply = "不要問國家能為你做什麼。"
    with FakeServer("ok", reply=reply) as server:
        extra = ("--translate", "--url", server.url, "--model", "test-model") if translate \
            else ("--no-translate",)
        process = start_listen(tmp_path, port, *extra)
        wait_listening(port)
        phone.get(f"http://127.0.0.1:{port}/")
        stream.get(f"http://127.0.0.1:{port}/overlay?style=outline&size=40")
        # a line shows while the app still runs
        first = wait_dom(phone, "main .line[data-id]", 1)
        assert first[0]["src"]
        finish(process)
    committed = rows(tmp_path)
    expected = [(n, row["text"], row["translation"] if translate else "")
                for n, row in enumerate(committed)]
    reader = wait_dom(phone, "main .line[data-id]:not(#partial)", len(committed))
    WebDriverWait(phone, 30).until(lambda d: [line["tr"] for line in dom_lines(
        d, "main .line[data-id]:not(#partial)")] == [tr for _, _, tr in expected])
    reader = dom_lines(phone, "main .line[data-id]:not(#partial)")
    assert [(line["id"], line["src"], line["tr"]) for line in reader] == expected
    overlay = dom_lines(stream, "#stage .line:not(#partial)")
    assert [(line["id"], line["src"], line["tr"]) for line in overlay] == expected[-2:]
    name = "translate" if translate else "plain"
    phone.save_screenshot(str(tmp_path / f"reader-{name}.png"))
    stream.save_screenshot(str(tmp_path / f"overlay-{name}.png"))
    print(f"screenshots in {tmp_path}")


def film_frame_uri() -> str:
    """The README's film frame (scripts/readme_screenshots.py paints it) as a data: URI."""
    path = Path(__file__).parents[1] / "scripts" / "readme_screenshots.py"
    spec = importlib.util.spec_from_file_location("readme_screenshots", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buffer = io.BytesIO()
    module.film_frame(STREAM).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


SESSION = [
    LineEvent("sentence", 0, "And so, my fellow Americans,", "en", 0.3, 2.1),
    LineEvent("translation", 0, "所以，我的美國同胞們，", "zh", 0.3, 2.1),
    LineEvent("sentence", 1, "ask not what your country can do for you,", "en", 3.0, 5.6),
    LineEvent("translation", 1, "不要問國家能為你做什麼，", "zh", 3.0, 5.6),
    LineEvent("sentence", 2, "ask what you can do for your country.", "en", 6.8, 10.6),
    LineEvent("translation", 2, "要問你能為國家做什麼。", "zh", 6.8, 10.6),
    LineEvent("partial", 3, "這是正在說的一句"),
]


def test_a_late_reader_and_the_obs_page_over_a_video_frame(
        tmp_path: Path, browsers: tuple[WebDriver, WebDriver]) -> None:
    """Pages opened mid-session show the lines on screen (the README's pictures)."""
    phone, stream = browsers
    feed = FeedServer(FeedSettings(enabled=True, port=free_port()),
                      OverlaySettings(style="outline", font_size=40, source_font_size=26), "zh-TW")
    feed.start()
    try:
        for event in SESSION:
            feed.publish(event)
        phone.get(feed.local_url)
        reader = wait_dom(phone, "main .line[data-id]", 4)
        assert [line["src"] for line in reader] == [e.text for e in SESSION
                                                    if e.type in ("sentence", "partial")]
        assert phone.find_element("id", "title").text == "即時字幕"
        stream.get(feed.local_url + "overlay")
        overlay = wait_dom(stream, "#stage .line", 3)
        assert [line["tr"] for line in overlay[:2]] == [SESSION[3].text, SESSION[5].text]
        stream.execute_script(
            "document.documentElement.style.cssText = 'min-height: 100vh; background: "
            "url(' + arguments[0] + ') center / cover no-repeat fixed';",
            film_frame_uri())
        phone.save_screenshot(str(tmp_path / "feed-reader-phone.png"))
        stream.save_screenshot(str(tmp_path / "feed-obs-over-video.png"))
        print(f"screenshots in {tmp_path}")
        # the page follows the feed as it goes on
        feed.publish(LineEvent("sentence", 3, "這是正在說的一句話。", "zh", 11.0, 12.5))
        WebDriverWait(phone, 30).until(
            lambda d: dom_lines(d, "main .line[data-id]")[-1]["src"] == "這是正在說的一句話。")
        assert json.loads(json.dumps(dom_lines(phone, "#partial"))) == []
    finally:
        feed.close()
