"""The explorer in a real headless Chromium: `streamlit run`, network off except the app's own server."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAME = "iframe[title='streamlit_folium.st_folium']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    home = tmp_path_factory.mktemp("app")
    env = {**os.environ, "MAPAPP_CACHE": str(home / "cache"), "MAPAPP_USER_DIR": str(home / "user")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _paths(frame, kind: str) -> int:
    return frame.locator(f"path.mapapp-{kind}").count()


def _wait_for_count(frame, kind: str, predicate, timeout_s: float = 30) -> int:
    deadline = time.time() + timeout_s
    while True:
        n = _paths(frame, kind)
        if predicate(n) or time.time() > deadline:
            return n
        time.sleep(0.3)


def test_explorer_in_a_real_browser(server, tmp_path):
    from PIL import Image

    from mapapp.browser import open_page

    allow = (server, server.replace("http://", "ws://"))
    with open_page(server + "/?years=1937-1945", allow=allow, width=1500, height=1100, timeout_s=90) as browser:
        page = browser.page
        page.wait_for_selector(FRAME, state="attached", timeout=90_000)
        frame = page.frame_locator(FRAME)
        before = _wait_for_count(frame, "deportation", lambda n: n > 0, 60)
        assert before > 0
        assert browser.blocked_requests == []          # nothing left the machine

        # move the start of the year range 1937 → 1942: fewer deportation arrows are drawn
        thumb = page.locator("[data-testid='stSidebar'] [data-testid='stSlider'] input[type='range']").first
        thumb.focus()
        for _ in range(5):
            thumb.press("ArrowRight")
        # five key presses are up to five reruns: wait for the last view, not the first new one
        stamp, _ = _drawn(page, other_than=None)
        deadline = time.time() + 60
        while not stamp.startswith("1942-1945") and time.time() < deadline:
            stamp, _ = _drawn(page, other_than=stamp, timeout_s=5)
        assert stamp.startswith("1942-1945")
        after = _wait_for_count(frame, "deportation", lambda n: 0 < n < before, 40)
        assert 0 < after < before

        # click a battle site and read its popup: title, dates, the claims with their sources
        frame.locator("path.mapapp-front").first.dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=15_000)
        text = popup.text_content(timeout=15_000)
        assert "id: front-" in text and ("Catalog" in text or "“" in text)

        # switch the deportation theme off: its arrows disappear
        page.locator("[data-testid='stSidebar']").get_by_text("deportation", exact=False).first.click()
        assert _wait_for_count(frame, "deportation", lambda n: n == 0, 40) == 0

        # export the view as PNG and look at it
        page.get_by_role("tab", name="Export").click()
        page.get_by_role("button", name="Prepare downloads").click()
        button = page.get_by_role("button", name="PNG")
        button.wait_for(timeout=90_000)
        with page.expect_download(timeout=30_000) as download:
            button.click()
        out = tmp_path / "view.png"
        download.value.save_as(out)
        image = Image.open(out).convert("RGB")
        assert image.size == (1600, 1000)
        assert len(image.getcolors(maxcolors=1 << 20)) > 50


def _drawn(page, timeout_s: float = 60, *, other_than: str | None = None) -> tuple[str, int]:
    """Wait until the map frame has drawn a view (other than ``other_than``): its stamp and shape count."""
    frame = page.frame_locator(FRAME)
    deadline = time.time() + timeout_s
    stamp, shapes = None, 0
    while time.time() < deadline:
        try:
            stamp = frame.locator("html").get_attribute("data-mapapp-view", timeout=1000)
            shapes = frame.locator(".leaflet-overlay-pane path").count()
        except Exception:  # the frame is not there yet
            stamp, shapes = None, 0
        if stamp and shapes and stamp != other_than:
            return stamp, shapes
        time.sleep(0.25)
    return stamp or "", shapes


def _uncaught(browser) -> list[str]:
    return [e for e in browser.console_errors if e.startswith("uncaught")]


def _year_thumb(page):
    return page.locator("[data-testid='stSidebar'] [data-testid='stSlider'] input[type='range']").first


def test_every_visit_draws_the_map(server):
    """Two sessions, a reload, and a return to a view seen before: the map is drawn every time, with no
    script error in any frame (a cached folium map rendered twice left the frame blank)."""
    from mapapp.browser import open_page

    allow = (server, server.replace("http://", "ws://"))
    url = server + "/?years=1941-1945&themes=deportation,front"
    seen = []
    for session in range(2):
        with open_page(url, allow=allow, width=1366, height=768, timeout_s=90) as browser:
            page = browser.page
            stamp, shapes = _drawn(page)
            assert shapes > 0 and stamp.startswith("1941-1945|deportation,front"), f"session {session}: no map"
            # layers off by default (alternate history, places named) stay off until switched on
            frame = page.frame_locator(FRAME)
            time.sleep(0.5)
            assert frame.locator("path.mapapp-alternate").count() == 0
            assert frame.locator("path.mapapp-place").count() == 0
            seen.append(shapes)
            if session == 1:
                page.reload()
                stamp, shapes = _drawn(page)
                assert shapes == seen[0], "the reloaded page draws the same map"
                thumb = _year_thumb(page)
                thumb.focus()
                thumb.press("ArrowRight")
                moved, _ = _drawn(page, other_than=stamp)
                assert moved.startswith("1942-1945"), moved
                thumb.press("ArrowLeft")
                back, shapes = _drawn(page, other_than=moved)
                assert back == stamp and shapes == seen[0], "a view seen before is drawn again"
            assert _uncaught(browser) == []
            assert browser.blocked_requests == []
    assert seen[0] == seen[1]


def test_a_click_on_the_map_selects_its_event(server):
    from mapapp.browser import open_page

    allow = (server, server.replace("http://", "ws://"))
    with open_page(server + "/?years=1944-1944&themes=deportation", allow=allow, width=1366, height=900,
                   timeout_s=90) as browser:
        page = browser.page
        _drawn(page)
        frame = page.frame_locator(FRAME)
        arrow = frame.locator("path.mapapp-deportation:visible").last
        arrow.dispatch_event("click")
        main = page.locator("[data-testid='stMainBlockContainer']")
        deadline = time.time() + 30
        while time.time() < deadline and "Catalog ·" not in main.inner_text():
            time.sleep(0.3)
        text = main.inner_text()
        assert "deportation ·" in text and "Catalog ·" in text      # the side panel shows the event's claims
        title = frame.locator(".leaflet-popup-content b").first.inner_text()
        assert title in text
        # the Events table marks the selected event
        page.get_by_role("tab", name="Events").click()
        assert title in main.inner_text()
        assert _uncaught(browser) == []
