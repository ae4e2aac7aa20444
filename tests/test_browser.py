"""The real browser: Debian's Chromium driven by Playwright, offline, on small inline pages."""
from __future__ import annotations

import http.server
import struct
import threading
from pathlib import Path

import pytest

from mapapp import browser
from mapapp.browser import BrowserUnavailableError, find_chromium, open_page, render_png
from mapapp.errors import MapappError

try:
    from PIL import Image
except ImportError:  # pragma: no cover - pillow is in the test extra
    Image = None

SVG_PAGE = """<!doctype html><html><body>
<svg id="map" width="200" height="100" xmlns="http://www.w3.org/2000/svg">
  <path d="M0 0 L10 10"/><path d="M10 0 L20 10"/><path d="M20 0 L30 10"/>
</svg>
<script>
  const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
  p.setAttribute("d", "M30 0 L40 10");
  document.getElementById("map").appendChild(p);
</script>
</body></html>"""

COLOURED_PAGE = """<!doctype html><html><body style="margin:0;background:#fff">
<div id="box" style="width:320px;height:200px;background:#c0392b"></div>
<svg width="300" height="150"><circle cx="75" cy="75" r="60" fill="#2471a3"/></svg>
</body></html>"""


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_inline_page_runs_its_script():
    with open_page(SVG_PAGE, width=400, height=300) as opened:
        assert opened.page.locator("svg path").count() == 4
        assert opened.page.evaluate("[window.innerWidth, window.innerHeight]") == [400, 300]
        assert opened.page.url.startswith("file://")
        assert opened.console_errors == []
        assert opened.blocked_requests == []


def test_path_is_opened_directly_with_relative_files(tmp_path):
    (tmp_path / "data.js").write_text("window.fromFile = 42;", encoding="utf-8")
    page_file = tmp_path / "map.html"
    page_file.write_text('<html><body><script src="data.js"></script></body></html>', encoding="utf-8")
    with open_page(page_file) as opened:
        assert opened.page.url == page_file.resolve().as_uri()
        assert opened.page.evaluate("window.fromFile") == 42


def test_script_error_is_reported():
    html = "<html><body><script>undefinedFunction();</script></body></html>"
    with open_page(html) as opened:
        assert opened.console_errors
        assert any("undefinedFunction" in message for message in opened.console_errors)


def test_console_error_is_reported():
    with open_page("<script>console.error('drawing failed')</script>") as opened:
        assert "drawing failed" in opened.console_errors


@pytest.fixture
def local_server():
    """An HTTP server on 127.0.0.1 that counts the requests it receives."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.end_headers()
            self.wfile.write(b"window.remoteLoaded = true;")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_remote_requests_are_blocked(local_server):
    base, hits = local_server
    html = (f'<html><head><script src="http://example.invalid/x.js"></script>'
            f'<script src="{base}/local.js"></script></head>'
            f'<body><img src="https://example.invalid/tile.png"></body></html>')
    with open_page(html) as opened:
        assert "http://example.invalid/x.js" in opened.blocked_requests
        assert f"{base}/local.js" in opened.blocked_requests
        assert "https://example.invalid/tile.png" in opened.blocked_requests
        assert opened.page.evaluate("window.remoteLoaded === undefined")
    assert hits == []  # nothing reached the network, not even a server on this machine


def test_online_mode_does_not_block(local_server):
    base, hits = local_server
    with open_page(f'<script src="{base}/local.js"></script>', offline=False) as opened:
        assert opened.page.evaluate("window.remoteLoaded") is True
        assert opened.blocked_requests == []
    assert hits == ["/local.js"]


def test_render_png_size_and_content(tmp_path):
    out = render_png(COLOURED_PAGE, tmp_path / "shots" / "map.png", width=640, height=480, wait_for="#box",
                     settle_ms=50)
    assert out == tmp_path / "shots" / "map.png"
    assert png_size(out) == (640, 480)
    assert [p.name for p in out.parent.iterdir()] == ["map.png"]  # no temporary file left behind
    if Image is not None:
        with Image.open(out) as image:
            assert image.size == (640, 480)
            colours = image.convert("RGB").getcolors(maxcolors=640 * 480)
        assert colours is not None and len(colours) > 1
        present = {rgb for _, rgb in colours}
        assert (0xC0, 0x39, 0x2B) in present and (0x24, 0x71, 0xA3) in present
    else:  # no pillow: the coloured page must differ from, and compress worse than, a blank one
        blank = render_png("<html><body></body></html>", tmp_path / "blank.png", width=640, height=480,
                           settle_ms=0)
        assert png_size(blank) == (640, 480)
        assert out.read_bytes() != blank.read_bytes()
        assert out.stat().st_size > blank.stat().st_size


def test_render_png_replaces_existing_file(tmp_path):
    out = tmp_path / "map.png"
    out.write_bytes(b"old")
    render_png("<body style='background:#123456'></body>", out, width=120, height=90, settle_ms=0)
    assert png_size(out) == (120, 90)


def test_render_png_wait_for_times_out(tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    out = tmp_path / "never.png"
    with pytest.raises(PlaywrightTimeoutError):
        render_png("<body></body>", out, wait_for="#never", settle_ms=0, timeout_s=1)
    assert not out.exists()


def test_find_chromium_honours_env(monkeypatch):
    real = find_chromium()
    monkeypatch.setenv("MAPAPP_CHROMIUM", real)
    assert find_chromium() == real


def test_find_chromium_missing_env_file(monkeypatch, tmp_path):
    monkeypatch.setenv("MAPAPP_CHROMIUM", str(tmp_path / "no-such-chromium"))
    monkeypatch.setattr(browser, "CHROMIUM_PATHS", (str(tmp_path / "usr-bin-chromium"),))
    monkeypatch.setattr(browser, "CHROMIUM_COMMANDS", ())
    with pytest.raises(BrowserUnavailableError, match="apt-get install chromium") as caught:
        find_chromium()
    assert isinstance(caught.value, MapappError)
    assert "no-such-chromium" in str(caught.value)


def test_find_chromium_none_installed(monkeypatch, tmp_path):
    monkeypatch.delenv("MAPAPP_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "CHROMIUM_PATHS", (str(tmp_path / "chromium"),))
    monkeypatch.setattr(browser, "CHROMIUM_COMMANDS", ("mapapp-no-such-chromium",))
    with pytest.raises(BrowserUnavailableError, match="apt-get install chromium"):
        find_chromium()
    with pytest.raises(BrowserUnavailableError, match="apt-get install chromium"):
        with open_page("<p>never opened</p>"):
            pass


def test_open_page_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        with open_page(tmp_path / "missing.html"):
            pass
