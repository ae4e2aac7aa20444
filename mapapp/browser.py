"""A real, offline, headless browser: open an HTML page in Chromium and inspect it or screenshot it.

Pages are driven by Playwright's synchronous API, but the browser is Debian's own ``chromium``
(``apt-get install chromium``), never one downloaded by ``playwright install``. With
``offline=True`` (the default) every request that would leave the machine is aborted and
recorded, so a page that needs a CDN shows up as blocked requests instead of hanging or
silently fetching.

Each call launches its own browser and closes it on exit, so there is no global state; the
synchronous Playwright API must not be used from inside a running asyncio event loop.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MapappError

if TYPE_CHECKING:  # Playwright is imported only when a browser is actually started
    from playwright.sync_api import Page, Route, WebSocketRoute

#: Environment variable naming the Chromium executable to use instead of the defaults.
CHROMIUM_ENV = "MAPAPP_CHROMIUM"
#: Where Debian and Ubuntu install Chromium, tried in order after ``MAPAPP_CHROMIUM``.
CHROMIUM_PATHS: tuple[str, ...] = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Command names looked up on ``PATH`` after ``CHROMIUM_PATHS``.
CHROMIUM_COMMANDS: tuple[str, ...] = ("chromium",)
#: Flags that let Chromium start as root in a container and keep it from phoning home.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
#: Extra flag used when offline: no host name resolves, a second fence behind request routing.
OFFLINE_ARGS: tuple[str, ...] = ("--host-resolver-rules=MAP * ~NOTFOUND",)
#: URL schemes a page may load when offline; everything else is aborted.
LOCAL_SCHEMES: tuple[str, ...] = ("file:", "data:", "blob:", "about:")

_INSTALL_HINT = (
    "install Debian's Chromium with `apt-get install chromium` (or `make chromium`), "
    f"or set {CHROMIUM_ENV} to the path of a Chromium executable"
)


class BrowserUnavailableError(MapappError):
    """No usable Chromium (or no Playwright) is installed, or the browser could not be started."""


@dataclass
class BrowserPage:
    """An open page and what happened while it loaded and ran.

    Attributes
    ----------
    page : playwright.sync_api.Page
        The Playwright page, valid only inside the ``open_page`` block.
    console_errors : list of str
        Console messages of type ``error`` and uncaught page errors, in the order they occurred.
        (Chromium also logs a console error for each resource that failed to load, blocked ones included.)
    blocked_requests : list of str
        URLs of requests aborted because they would have left the machine.
    """

    page: Page
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_chromium() -> str:
    """The path of the Chromium executable to drive.

    Tried in order: the ``MAPAPP_CHROMIUM`` environment variable, each of ``CHROMIUM_PATHS``,
    then each of ``CHROMIUM_COMMANDS`` on ``PATH``.

    Returns
    -------
    str
        An existing, executable file.

    Raises
    ------
    BrowserUnavailableError
        If ``MAPAPP_CHROMIUM`` is set but does not name an executable file, or if no Chromium is found.
    """
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        if _is_executable(configured):
            return configured
        raise BrowserUnavailableError(
            f"{CHROMIUM_ENV}={configured!r} is not an executable file; {_INSTALL_HINT}")
    for candidate in CHROMIUM_PATHS:
        if _is_executable(candidate):
            return candidate
    for command in CHROMIUM_COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    searched = ", ".join([*CHROMIUM_PATHS, *(f"{c} on PATH" for c in CHROMIUM_COMMANDS)])
    raise BrowserUnavailableError(f"Chromium not found (looked for {searched}); {_INSTALL_HINT}")


def _page_url(html: str | Path, stack: ExitStack) -> str:
    """A file:// URL for ``html``: the file itself, or a temporary file holding the markup."""
    if isinstance(html, str) and html.startswith(("http://127.0.0.1", "http://localhost")):
        return html  # a local server (the explorer app under test)
    if isinstance(html, Path):
        path = html.resolve()
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such HTML file")
        return path.as_uri()
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mapapp-page-")))
    path = folder / "page.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


@contextmanager
def open_page(html: str | Path, *, width: int = 1200, height: int = 800, offline: bool = True,
              timeout_s: float = 20, allow: tuple[str, ...] = ()) -> Iterator[BrowserPage]:
    """Open ``html`` in headless Chromium and yield the loaded page.

    Parameters
    ----------
    html : str or pathlib.Path
        Markup (written to a temporary ``.html`` file, so relative paths resolve next to it as in a
        saved file) or the path of an HTML file, opened directly.
    width, height : int
        Viewport size in CSS pixels; the device scale factor is 1.
    offline : bool
        If true, abort and record every request whose URL is not ``file:``, ``data:``, ``blob:``
        or ``about:``, and make every host name unresolvable.
    timeout_s : float
        Limit for starting the browser, loading the page and any later Playwright wait.
    allow : tuple of str
        URL prefixes still allowed when offline, for a server on this machine
        (``("http://127.0.0.1:8501", "ws://127.0.0.1:8501")``); ``html`` may then be such a URL.

    Yields
    ------
    BrowserPage
        The page after its ``load`` event, with the console errors and blocked requests so far
        (both lists keep growing while the block runs).

    Raises
    ------
    BrowserUnavailableError
        If Playwright or Chromium is missing or Chromium does not start.
    FileNotFoundError
        If ``html`` is a path that does not exist.
    playwright.sync_api.TimeoutError
        If the page does not finish loading within ``timeout_s``.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserUnavailableError(
            "the Python package playwright is not installed; run `pip install 'playwright>=1.45'` "
            "(its browser download is not needed: mapapp uses Debian's chromium)") from exc
    executable = find_chromium()
    timeout_ms = timeout_s * 1000
    with ExitStack() as stack:
        url = _page_url(html, stack)
        playwright = stack.enter_context(sync_playwright())
        offline_args = OFFLINE_ARGS if not allow else ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)
        args = [*CHROMIUM_ARGS, *(offline_args if offline else ())]
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=args,
                                                 timeout=timeout_ms)
        except PlaywrightError as exc:
            raise BrowserUnavailableError(f"Chromium at {executable} did not start: {exc}") from exc
        stack.callback(browser.close)
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                      service_workers="block" if offline else "allow")
        stack.callback(context.close)
        context.set_default_timeout(timeout_ms)
        page = context.new_page()
        result = BrowserPage(page=page)

        if offline:
            def _route(route: Route) -> None:
                request_url = route.request.url
                if request_url.startswith(LOCAL_SCHEMES + allow):
                    route.continue_()
                else:
                    result.blocked_requests.append(request_url)
                    route.abort()

            context.route("**/*", _route)
            if hasattr(context, "route_web_socket"):  # Playwright >= 1.48
                def _block_socket(socket: WebSocketRoute) -> None:
                    if allow and socket.url.startswith(allow):
                        socket.connect_to_server()
                        return
                    result.blocked_requests.append(socket.url)
                    socket.close()

                context.route_web_socket("**/*", _block_socket)

        page.on("console", lambda msg: result.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: result.console_errors.append(f"uncaught {exc.name}: {exc.message}"))
        page.goto(url, wait_until="load", timeout=timeout_ms)
        yield result


# Resolves once the document has gone `quiet` ms with no DOM change (nodes, attributes, text) and no
# running CSS transition or animation (Leaflet animates a zoom with a 0.25 s CSS transition that changes
# no DOM node while it runs; endless animations, such as spinners, are not waited for), or when `limit`
# ms have passed; and then after a frame has been painted (two animation frames: the second starts
# after the first is on screen).
_QUIET_JS = """([quiet, limit]) => new Promise((resolve) => {
    const start = performance.now();
    let last = start;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    const moving = () => document.getAnimations().some((a) =>
        (a.playState === 'running' || a.pending) && a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    const check = () => {
        const now = performance.now();
        if (moving()) { last = now; }
        if (now - last >= quiet || now - start >= limit) {
            observer.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        } else {
            setTimeout(check, Math.max(10, quiet - (now - last)));
        }
    };
    setTimeout(check, quiet);
})"""


def wait_until_quiet(page: Page, quiet_ms: int, *, limit_ms: float = 5000) -> None:
    """Wait until ``page`` has not changed for ``quiet_ms`` (or ``limit_ms`` passed), then for a paint.

    "Changed" means a DOM change or a running CSS transition or animation. Unlike a fixed pause, this
    lasts as long as the page keeps drawing and no longer: a page that is done at once costs
    ``quiet_ms`` and a frame.
    """
    page.evaluate(_QUIET_JS, [quiet_ms, limit_ms])


def render_png(html: str | Path, out: Path, *, width: int = 1200, height: int = 800, wait_for: str | None = None,
               settle_ms: int = 300, quiet_ms: int = 0, timeout_s: float = 20) -> Path:
    """Screenshot ``html`` in offline headless Chromium as a ``width`` × ``height`` PNG.

    Parameters
    ----------
    html : str or pathlib.Path
        Markup or the path of an HTML file, as for ``open_page``.
    out : pathlib.Path
        Where to write the PNG; its folder is created if needed. Written atomically
        (temporary file in the same folder, then rename), so ``out`` is never half-written.
    width, height : int
        Viewport and image size in pixels (device scale factor 1).
    wait_for : str, optional
        A CSS selector to wait for (visible) after the ``load`` event, e.g. ``".leaflet-tile-loaded"``.
    settle_ms : int
        Idle time after that, for animations and late drawing.
    quiet_ms : int
        If positive, then wait until the page has not changed (DOM, CSS transitions and animations)
        for this long (see :func:`wait_until_quiet`; at most ``timeout_s``): for drawing that is
        finished when it stops changing the page, without a fixed pause sized for the slowest case.
    timeout_s : float
        Limit for each stage: start, load, ``wait_for``.

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    BrowserUnavailableError
        If Playwright or Chromium is missing or Chromium does not start.
    playwright.sync_api.TimeoutError
        If loading or ``wait_for`` takes longer than ``timeout_s``.
    """
    out = Path(out)
    with open_page(html, width=width, height=height, offline=True, timeout_s=timeout_s) as opened:
        if wait_for is not None:
            opened.page.wait_for_selector(wait_for, state="visible", timeout=timeout_s * 1000)
        if settle_ms > 0:
            opened.page.wait_for_timeout(settle_ms)
        if quiet_ms > 0:
            wait_until_quiet(opened.page, quiet_ms, limit_ms=timeout_s * 1000)
        image = opened.page.screenshot(type="png", full_page=False, animations="allow")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(image)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return out
