"""Explorer benchmark in a real browser: ``streamlit run streamlit_app.py`` driven by headless Chromium.

What is measured (median, min and max of each):

1. **First map, warm caches** — the server is started and one page is opened and waits for its map (this
   builds the dataset and fills the server's caches); then each of several NEW browser contexts (fresh
   browser cache, new Streamlit session) opens the app, timed from navigation start to the first map drawn.
2. **Slider move** — focus a thumb of the sidebar's year-range slider and press ArrowRight/ArrowLeft
   (moves of the start and the end thumb, to new views and back to views already drawn), timed from the
   ``keydown`` to the moment the map frame shows a new view.
3. **Theme toggle** — click a theme checkbox (``repression``) off and on, timed from the ``pointerdown``.
4. **Slider move on a large dataset** — as 2, on a second server started with ``MAPAPP_DATASET`` pointing
   at ``benchmarks/synthetic.py``'s folder of 20,000 synthetic events (``--events``).

"The map shows a new view" means: inside the map iframe (``streamlit_folium.st_folium``) the root
element's ``data-mapapp-view`` stamp differs from the one before the action, and
``.leaflet-overlay-pane`` holds at least one ``path``.

How: a script added to every frame before the page's own scripts records, on one clock
(``performance.timeOrigin + performance.now()``), the input events, each stamp change (MutationObserver,
with the number of drawn paths, and the next frame after it), every message of Streamlit's WebSocket
(time and size), the ``streamlit:render`` events the map iframe receives, Streamlit's script state and the
main thread's long tasks. Python only polls that log; the figures are the browser's own times. Each action
is also split into where its time went:

- ``client``: input → the browser sends the new widget value;
- ``server``: value sent → arrival of the message carrying the map (the largest before the iframe's render
  event): the script's run up to ``st_folium``, serialising, transfer;
- ``page``: map message → the iframe's render event (Streamlit's front end decoding and passing it on);
- ``iframe``: render event → new stamp (``eval`` of the feature groups, Leaflet drawing them);
- ``run end``: value sent → the run's last message (the whole script, for reference).

A map message of a few bytes means Streamlit sent only a reference to a message the browser still holds
(its message cache keeps large messages of the last two runs), which happens when going back to a view.
For the first map, navigation timing and the same log give milestones (DOM ready, first run asked, map
message, iframe created and loaded, render event, drawn). The wall-clock time seen from Python is kept in
the JSON too.

The network is cut but for the app's own server: every HTTP request is matched against a route that aborts
whatever does not start with ``data:``, ``blob:``, ``about:`` or ``http://127.0.0.1:PORT/``; every WebSocket
that is not ``ws://127.0.0.1:PORT/`` is closed; host names other than 127.0.0.1 do not resolve; a separate
page checks first that a request and a socket to another host are indeed stopped and counted. The routes
are regular expressions matched by Playwright itself, so allowed traffic is not relayed through this
Python process (with a Python predicate the app's socket is relayed, base64-encoded, which added about a
second to each 4 MB map message). Aborted requests are counted and listed. Uncaught errors in any frame,
console errors and exceptions or errors the app shows on its page are collected; if any occurred, or an
action never drew, a FAIL line is printed and the exit status is 1. Missed targets are printed, not failed.

Servers run with a temporary ``MAPAPP_CACHE`` and ``MAPAPP_USER_DIR`` (so the first page builds the
built-in dataset from scratch and no one's uploads or corrections are used), without the file watcher, on
free ports, and are stopped on exit.

Usage: ``.venv/bin/python benchmarks/bench_app_browser.py [--json OUT] [--events 20000] [--moves 7]
[--skip-synthetic]``
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run",
                 # a second fence behind the request routing: no host name but 127.0.0.1 resolves
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
FRAME = "iframe[title='streamlit_folium.st_folium']"
FRAME_URL = "streamlit_folium.st_folium"
THUMBS = "[data-testid='stSidebar'] [data-testid='stSlider'] input[type='range']"
CHECKBOXES = "[data-testid='stSidebar'] [data-testid='stCheckbox']"
TIMEOUT_S = 60.0          # any single wait
COLD_TIMEOUT_S = 150.0    # the very first page of a server, which builds or loads the dataset
POLL_S = 0.03
WARM_PAGES = 3
TOGGLES = 4
CACHED_MB = 0.01          # a map message smaller than this only refers to one the browser already holds
TARGETS = {"first_map_warm": 3.0, "slider_builtin": 1.0, "slider_synthetic": 2.0}

# Added to every frame before its own scripts run; keeps everything in window.__bench.
PROBE = r"""
(() => {
  // One log per window, kept in window.__bench. A frame's window can outlive its first document (the map
  // iframe's document is replaced without this script running again), so the document's observer is
  // (re)installed whenever the current document lacks one: now, and on each render message from Streamlit,
  // which comes before the map iframe draws anything.
  const clock = () => performance.timeOrigin + performance.now();
  if (!window.__bench) {
    const bench = window.__bench = {origin: performance.timeOrigin, inputs: [], ws: [], states: [], views: [],
                                    renders: [], longtasks: [], errors: []};
    window.addEventListener('error', e => bench.errors.push(
        'uncaught: ' + (e.error && e.error.stack ? e.error.stack : e.message)));
    window.addEventListener('unhandledrejection', e => bench.errors.push(
        'unhandled rejection: ' + (e.reason && (e.reason.stack || e.reason.message) || String(e.reason))));
    for (const type of ['keydown', 'pointerdown', 'click']) {
      window.addEventListener(type, e => bench.inputs.push({type, t: clock(), key: e.key || null}), true);
    }
    window.addEventListener('message', ev => {
      if (ev.data && ev.data.type === 'streamlit:render') { bench.renders.push({t: clock()}); probeDocument(); }
    }, true);
    try {
      new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
          bench.longtasks.push({t: performance.timeOrigin + e.startTime, d: e.duration});
        }
      }).observe({type: 'longtask', buffered: true});
    } catch (e) { /* no long-task timing */ }
    const Native = window.WebSocket;
    if (Native) {
      const size = d => typeof d === 'string' ? d.length
                        : (d ? (d.byteLength !== undefined ? d.byteLength : d.size || 0) : 0);
      class ProbedWebSocket extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', ev => bench.ws.push({dir: 'in', t: clock(), n: size(ev.data)}));
        }
        send(data) { bench.ws.push({dir: 'out', t: clock(), n: size(data)}); return super.send(data); }
      }
      window.WebSocket = ProbedWebSocket;
    }
    document.addEventListener('readystatechange', () => probeDocument());
    window.addEventListener('DOMContentLoaded', () => probeDocument());
  }
  function probeDocument() {
    const doc = document, bench = window.__bench;
    if (doc.__benchProbed) return;
    doc.__benchProbed = true;
    const countPaths = () => doc.querySelectorAll('.leaflet-overlay-pane path').length;
    const afterPaint = rec => requestAnimationFrame(() => setTimeout(() => { rec.painted = clock(); }, 0));
    let lastStamp = null;
    const check = records => {
      for (const r of records || []) {
        if (r.attributeName === 'data-test-script-state') {
          bench.states.push({t: clock(), state: r.target.getAttribute('data-test-script-state')});
        }
      }
      const root = doc.documentElement;
      const stamp = root && root.getAttribute('data-mapapp-view');
      if (!stamp || stamp === lastStamp) return;
      lastStamp = stamp;
      const rec = {stamp, t: clock(), paths: countPaths(), drawn: null, painted: null,
                   late: !records};   // late: already there when the observer was installed
      bench.views.push(rec);
      if (rec.paths > 0) { rec.drawn = rec.t; afterPaint(rec); return; }
      const started = clock();
      const wait = () => {         // stamp set before the shapes: wait for them (bounded)
        if (lastStamp !== rec.stamp) return;
        const n = countPaths();
        if (n > 0) { rec.paths = n; rec.drawn = clock(); afterPaint(rec); }
        else if (clock() - started < 60000) setTimeout(wait, 10);
      };
      setTimeout(wait, 10);
    };
    new MutationObserver(check).observe(doc, {
      attributes: true, subtree: true, attributeFilter: ['data-mapapp-view', 'data-test-script-state']});
    check(null);
  }
  window.__benchProbeDocument = probeDocument;
  probeDocument();
})();
"""

SETTLED_JS = """(quietMs) => {
  const b = window.__bench, app = document.querySelector("[data-testid='stApp']");
  if (!b || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const now = performance.timeOrigin + performance.now();
  const last = b.ws.length ? b.ws[b.ws.length - 1].t : 0;
  return now - last >= quietMs;
}"""

APP_PROBLEMS_JS = """() => Array.from(document.querySelectorAll(
    "[data-testid='stException'], [data-testid='stAlertContentError']")).map(e => e.innerText.slice(0, 400))"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(home: Path, dataset: Path | None = None):
    """``streamlit run streamlit_app.py`` on a free port with its cache and user folder under ``home``;
    yields ``(base_url, log_path)`` and stops the server on exit."""
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "MAPAPP_CACHE": str(home / "cache"), "MAPAPP_USER_DIR": str(home / "user")}
    env.pop("MAPAPP_DATASET", None)
    if dataset is not None:
        env["MAPAPP_DATASET"] = str(dataset)
    log_path = home / "server.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],   # others edit the sources meanwhile: no reloads mid-run
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; log:\n{tail(log_path)}") from None
                time.sleep(0.3)
        yield base, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Monitor:
    """What went wrong in the browser, by phase: aborted requests, page errors, console errors."""

    def __init__(self) -> None:
        self.phase = "start"
        self.blocked: list[str] = []
        self.allowed = 0
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.app_problems: list[str] = []
        self.never_drew: list[str] = []

    def note(self, bucket: list, text: str) -> None:
        entry = f"[{self.phase}] {text}"
        if entry not in bucket:
            bucket.append(entry)


def open_page(browser, base: str, monitor: Monitor):
    """A new context and page with the probe, the network fence and the error listeners."""
    ws_base = base.replace("http://", "ws://", 1)
    # Every request and socket is matched against these; what does not start with an allowed prefix is
    # aborted. The patterns are regular expressions, which Playwright evaluates itself: allowed requests then
    # go on without a round trip to this process (which, under the sync API, answers only while inside a
    # Playwright call), and the app's socket is not relayed through it (base64, in and out).
    not_local = re.compile("^(?!(?:data:|blob:|about:|" + re.escape(base + "/") + "))")
    not_app_socket = re.compile("^(?!" + re.escape(ws_base + "/") + ")")

    def abort(route) -> None:
        monitor.note(monitor.blocked, route.request.url)
        route.abort()

    def close_socket(ws) -> None:
        monitor.note(monitor.blocked, ws.url)
        ws.close()

    def count(request) -> None:
        if not not_local.match(request.url):
            monitor.allowed += 1

    context = browser.new_context(viewport={"width": 1500, "height": 1100}, device_scale_factor=1,
                                  service_workers="block")
    context.set_default_timeout(TIMEOUT_S * 1000)
    context.add_init_script(PROBE)
    context.route(not_local, abort)
    context.route_web_socket(not_app_socket, close_socket)
    context.on("request", count)
    page = context.new_page()
    page.on("pageerror", lambda exc: monitor.note(monitor.page_errors, f"{exc.name}: {exc.message}"))
    page.on("console",
            lambda msg: monitor.note(monitor.console_errors, msg.text[:400]) if msg.type == "error" else None)
    return context, page


def map_frame(page):
    for frame in page.frames:
        if FRAME_URL in frame.url:
            return frame
    return None


def frame_eval(frame, script: str, default=None):
    from playwright.sync_api import Error as PlaywrightError

    if frame is None:
        return default
    try:
        return frame.evaluate(script)
    except PlaywrightError:          # frame navigating or detached: try again on the next poll
        return default


def views_of(page) -> list[dict]:
    return frame_eval(map_frame(page), "() => window.__bench ? window.__bench.views : []", []) or []


def bench_log(page) -> dict:
    return page.evaluate("() => window.__bench")


def collect_frame_errors(page, monitor: Monitor) -> None:
    for frame in page.frames:
        for text in frame_eval(frame, "() => window.__bench ? window.__bench.errors : []", []) or []:
            monitor.note(monitor.page_errors, f"({frame.url.split('?')[0]}) {text[:400]}")
    for text in frame_eval(page.main_frame, APP_PROBLEMS_JS, []) or []:
        monitor.note(monitor.app_problems, text)


def settle(page, quiet_ms: int = 400) -> None:
    """Wait until the script is not running and no WebSocket message came for ``quiet_ms``."""
    page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=TIMEOUT_S * 1000, polling=50)


def wait_for_new_view(page, before: str | None, start_index: int, timeout_s: float) -> dict | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        views = views_of(page)
        fresh = views[start_index:] if len(views) >= start_index else views
        for view in fresh:
            if view["stamp"] != before and view.get("drawn"):
                return view
        page.wait_for_timeout(POLL_S * 1000)  # not time.sleep: Playwright serves the routes only while in a call
    return None


FENCE_JS = """async (base) => {
  const outcome = {};
  try { await fetch('http://example.com/mapapp-fence-check', {mode: 'no-cors'}); outcome.http = 'loaded'; }
  catch (e) { outcome.http = 'failed'; }
  try { outcome.local = (await fetch(base + '/_stcore/health')).status; } catch (e) { outcome.local = 'failed'; }
  outcome.ws = await new Promise(resolve => {
    const ws = new WebSocket('ws://example.com/mapapp-fence-check');
    ws.onopen = () => resolve('open');
    ws.onclose = () => resolve('closed');
    setTimeout(() => resolve('no answer'), 10000);
  });
  return outcome;
}"""


def check_fence(browser, base: str) -> dict:
    """The fence itself: a request and a socket to another host are stopped and counted, the app's is not."""
    monitor = Monitor()
    context, page = open_page(browser, base, monitor)
    try:
        page.goto(base + "/_stcore/health")
        outcome = page.evaluate(FENCE_JS, base)
    finally:
        context.close()
    outcome["aborted"] = [u.split("] ", 1)[-1] for u in monitor.blocked]
    outcome["ok"] = (outcome["http"] == "failed" and outcome["local"] == 200 and outcome["ws"] == "closed"
                     and len(outcome["aborted"]) == 2)
    return outcome


def first_map(browser, base: str, monitor: Monitor, timeout_s: float) -> dict | None:
    """Open the app in a new context; seconds from navigation start to the first map drawn."""
    context, page = open_page(browser, base, monitor)
    try:
        t0 = time.perf_counter()
        page.goto(base + "/", wait_until="commit", timeout=timeout_s * 1000)
        view = wait_for_new_view(page, None, 0, timeout_s)
        wall = time.perf_counter() - t0
        collect_frame_errors(page, monitor)
        if view is None:
            monitor.note(monitor.never_drew, "first map")
            return None
        page.wait_for_timeout(200)
        main = bench_log(page)
        origin = main["origin"]
        # a stamp already there when the probe looked (never seen so far) has no exact time: use the wall clock
        seconds = wall if view.get("late") else (view["drawn"] - origin) / 1000
        result = {"s": seconds, "wall_s": wall, "paths": view["paths"], "stamp": view["stamp"],
                  "exact": not view.get("late")}
        result.update(first_map_parts(page, main, view))
        return result
    finally:
        context.close()


NAVIGATION_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const resources = performance.getEntriesByType('resource');
  return {html: nav.responseEnd, dom_ready: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          resources: resources.length, resource_bytes: resources.reduce((n, r) => n + (r.encodedBodySize || 0), 0),
          last_resource: resources.reduce((t, r) => Math.max(t, r.responseEnd), 0)};
}"""


def first_map_parts(page, main: dict, view: dict) -> dict:
    """Milestones of a page load, in seconds after navigation start, from the page's own timing and the probe."""
    origin = main["origin"]
    nav = page.evaluate(NAVIGATION_JS)
    frame = map_frame(page)
    mapping = frame_eval(frame, "() => window.__bench", {}) or {}
    frame_nav = frame_eval(frame, NAVIGATION_JS, {}) or {}
    drawn = view["drawn"]
    render = _last(mapping.get("renders", []), lambda r: r["t"] <= drawn)
    received = [m for m in main["ws"] if m["dir"] == "in"]
    sent = next((m for m in main["ws"] if m["dir"] == "out"), None)
    carrier = max((m for m in received if render is None or m["t"] <= render["t"]), key=lambda m: m["n"], default=None)

    def at(t):
        return (t - origin) / 1000 if t is not None else None

    ms = lambda v: v / 1000 if v else None  # noqa: E731  (navigation timings are ms after navigation start)
    return {
        "html_s": ms(nav.get("html")), "dom_ready_s": ms(nav.get("dom_ready")), "load_s": ms(nav.get("load")),
        "first_sent_s": at(sent and sent["t"]),                   # the session asks for its first run
        "first_received_s": at(received[0]["t"] if received else None),
        "map_message_s": at(carrier and carrier["t"]), "map_message_mb": carrier["n"] / 1e6 if carrier else None,
        "iframe_start_s": at(mapping.get("origin")),              # the map iframe is created
        "iframe_load_s": (at(mapping["origin"] + frame_nav["load"])
                          if mapping.get("origin") and frame_nav.get("load") else None),
        "render_s": at(render and render["t"]), "drawn_s": at(drawn),
        "requests": nav.get("resources", 0) + frame_nav.get("resources", 0),
        "request_mb": (nav.get("resource_bytes", 0) + frame_nav.get("resource_bytes", 0)) / 1e6,
        "longtask_s": sum(t["d"] for t in main["longtasks"] if t["t"] <= drawn) / 1000,
    }


def _last(items, predicate):
    found = None
    for item in items:
        if predicate(item):
            found = item
    return found


def timed_action(page, label: str, action, input_types: tuple[str, ...], monitor: Monitor) -> dict | None:
    """Run ``action`` on a settled page; the time from its input event to a new view drawn, and its parts."""
    settle(page)
    frame = map_frame(page)
    before = frame_eval(frame, "() => document.documentElement.getAttribute('data-mapapp-view')")
    start_index = len(views_of(page))
    mark = page.evaluate("() => performance.timeOrigin + performance.now()")
    t0 = time.perf_counter()
    action()
    view = wait_for_new_view(page, before, start_index, TIMEOUT_S)
    wall = time.perf_counter() - t0
    if view is None:
        monitor.note(monitor.never_drew, f"{label} (stamp stayed {before!r})")
        return None
    settle(page)  # the rest of the run arrives too, so its end can be read from the log
    view = next((v for v in views_of(page)[start_index:] if v["stamp"] == view["stamp"]), view)
    main = bench_log(page)
    inputs = [i for i in main["inputs"] if i["t"] >= mark and i["type"] in input_types]
    pressed = inputs[0]["t"] if inputs else mark
    drawn = view["drawn"]
    mapping = frame_eval(map_frame(page), "() => window.__bench", {}) or {}
    render = _last(mapping.get("renders", []), lambda r: pressed <= r["t"] <= drawn)
    sent = next((m for m in main["ws"] if m["dir"] == "out" and m["t"] >= pressed), None)
    received = [m for m in main["ws"] if m["dir"] == "in" and sent is not None and m["t"] >= sent["t"]]
    # the message carrying the map: the largest one the server sent before the iframe was told to draw
    carrier = max((m for m in received if render is not None and m["t"] <= render["t"]), key=lambda m: m["n"],
                  default=None)
    last = received[-1] if received else None   # the run's last message (the script has finished)
    # the renderer's main thread (shared by the page and its same-origin iframe) while taking in the map message
    decoding = next((t for t in main["longtasks"] if carrier and t["t"] <= carrier["t"] <= t["t"] + t["d"]), None)

    def span(a, b):
        return (b - a) / 1000 if a is not None and b is not None else None

    return {
        "label": label, "s": span(pressed, drawn), "wall_s": wall, "stamp": view["stamp"], "paths": view["paths"],
        "painted_s": span(pressed, view.get("painted")), "input_recorded": bool(inputs),
        "client_s": span(pressed, sent and sent["t"]),
        "server_s": span(sent and sent["t"], carrier and carrier["t"]),
        "page_s": span(carrier and carrier["t"], render and render["t"]),
        "iframe_s": span(render and render["t"], drawn),
        "run_end_s": span(sent and sent["t"], last and last["t"]),
        "map_message_mb": carrier["n"] / 1e6 if carrier else None,
        "map_message_task_s": decoding["d"] / 1000 if decoding else 0.0,
        "ws_in_mb": sum(m["n"] for m in received if m["t"] <= drawn) / 1e6,
        "ws_in_messages": sum(1 for m in received if m["t"] <= drawn),
        "longtask_s": sum(t["d"] for t in main["longtasks"] if pressed <= t["t"] <= drawn) / 1000,
    }


# year-range moves (thumb index, key): new views, then back to views already drawn
MOVE_CYCLE = [(0, "ArrowRight"), (0, "ArrowRight"), (0, "ArrowLeft"), (0, "ArrowLeft"),
              (1, "ArrowLeft"), (1, "ArrowLeft"), (1, "ArrowRight"), (1, "ArrowRight")]


def slider_moves(page, moves: int, monitor: Monitor) -> list[dict | None]:
    thumbs = page.locator(THUMBS)
    if thumbs.count() != 2:
        raise RuntimeError(f"expected the two thumbs of the year-range slider ({THUMBS}), found {thumbs.count()}")
    results = []
    for i in range(moves):
        index, key = MOVE_CYCLE[i % len(MOVE_CYCLE)]
        thumb = thumbs.nth(index)
        settle(page)
        thumb.focus()
        label = f"{'start' if index == 0 else 'end'} {key[5:].lower()} {thumb.get_attribute('value')}"
        result = timed_action(page, label, lambda: page.keyboard.press(key), ("keydown",), monitor)
        if result is not None:
            result["years"] = [thumbs.nth(0).get_attribute("value"), thumbs.nth(1).get_attribute("value")]
        results.append(result)
    return results


def theme_toggles(page, theme: str, toggles: int, monitor: Monitor) -> list[dict | None]:
    label = page.locator(CHECKBOXES).filter(has_text=theme).first.locator("label").first
    results = []
    for i in range(toggles):
        results.append(timed_action(page, f"{theme} {'off' if i % 2 == 0 else 'on'}", lambda: label.click(),
                                    ("pointerdown", "click"), monitor))
    return results


def summary(values: list[float | None]) -> dict:
    done = [v for v in values if v is not None]
    if not done:
        return {"n": 0, "failed": len(values)}
    return {"n": len(done), "failed": len(values) - len(done), "median_s": statistics.median(done),
            "min_s": min(done), "max_s": max(done)}


def median_of(results: list[dict | None], key: str) -> float | None:
    values = [r[key] for r in results if r and r.get(key) is not None]
    return statistics.median(values) if values else None


def measure_server(browser, base: str, monitor: Monitor, *, name: str, moves: int, warm_pages: int,
                   toggles: int) -> dict:
    out: dict = {}
    monitor.phase = f"{name}: warm-up"
    t0 = time.perf_counter()
    cold = first_map(browser, base, monitor, COLD_TIMEOUT_S)
    out["cold_first_map"] = cold and {**cold, "wall_s": time.perf_counter() - t0}
    if cold is None:
        return out
    monitor.phase = f"{name}: first map, warm caches"
    out["first_map_warm"] = [first_map(browser, base, monitor, TIMEOUT_S) for _ in range(warm_pages)]
    context, page = open_page(browser, base, monitor)
    try:
        monitor.phase = f"{name}: slider"
        page.goto(base + "/", wait_until="commit")
        if wait_for_new_view(page, None, 0, TIMEOUT_S) is None:
            monitor.note(monitor.never_drew, "map before the slider moves")
            return out
        out["slider"] = slider_moves(page, moves, monitor)
        if toggles:
            monitor.phase = f"{name}: theme toggle"
            out["theme"] = theme_toggles(page, "repression", toggles, monitor)
        settle(page)
        collect_frame_errors(page, monitor)
    finally:
        context.close()
    return out


def fmt(v: float | None, unit: str = "s") -> str:
    if v is None:
        return "—"
    return f"{v:.2f}" if unit == "mb" else f"{v:.3f}"


def report(results: dict, monitor: Monitor) -> bool:
    rows = []   # name, summary, target key

    def add(name: str, values: list, target: str | None = None):
        rows.append((name, summary(values), target))

    for name, key in (("built-in", "builtin"), ("synthetic", "synthetic")):
        data = results.get(key)
        if not data:
            continue
        n_events = results.get("synthetic_events") if key == "synthetic" else None
        tag = f"{name}{f' ({n_events:,} events)' if n_events else ''}"
        cold = data.get("cold_first_map")
        add(f"{tag}: first map, cold server (build/load)", [cold and cold["wall_s"]])
        add(f"{tag}: first map, warm caches", [r and r["s"] for r in data.get("first_map_warm", [])],
            "first_map_warm" if key == "builtin" else None)
        if "slider" in data:
            add(f"{tag}: slider move → new map", [r and r["s"] for r in data["slider"]],
                "slider_builtin" if key == "builtin" else "slider_synthetic")
            add(f"{tag}: slider move → next frame painted", [r and r["painted_s"] for r in data["slider"]])
            fresh = [r for r in data["slider"] if r and (r.get("map_message_mb") or 0) >= CACHED_MB]
            cached = [r for r in data["slider"] if r and (r.get("map_message_mb") or 0) < CACHED_MB]
            add(f"{tag}:   of which map sent in full", [r["s"] for r in fresh])
            add(f"{tag}:   of which map from browser's message cache", [r["s"] for r in cached])
        if "theme" in data:
            add(f"{tag}: theme toggle → new map", [r and r["s"] for r in data["theme"]])
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'measure':<{width}}{'n':>3} {'median':>8} {'min':>8} {'max':>8}  target")
    ok = True
    misses = []
    for name, s, target in rows:
        goal = TARGETS.get(target) if target else None
        status = ""
        if goal is not None and s.get("median_s") is not None:
            over = s["median_s"] - goal
            ratio = s["median_s"] / goal
            status = f"<= {goal:g} s  " + ("ok" if over <= 0 else f"MISSED by {over:.2f} s ({ratio:.1f}x the target)")
            if over > 0:
                misses.append(name)
        failed = f"  ({s['failed']} never drew)" if s.get("failed") else ""
        print(f"{name:<{width}}{s['n']:>3} {fmt(s.get('median_s')):>8} {fmt(s.get('min_s')):>8} "
              f"{fmt(s.get('max_s')):>8}  {status}{failed}")

    for name, key in (("built-in", "builtin"), ("synthetic", "synthetic")):
        loads = [r for r in (results.get(key) or {}).get("first_map_warm") or [] if r]
        if loads:
            milestones = {"html": "html_s", "DOM ready": "dom_ready_s", "load": "load_s",
                          "first run asked": "first_sent_s", "first reply": "first_received_s",
                          "map message": "map_message_s", "iframe created": "iframe_start_s",
                          "iframe loaded": "iframe_load_s", "iframe render event": "render_s", "map drawn": "drawn_s"}
            print(f"\n{name}, first map with warm caches: medians in s after navigation start")
            print("  " + ", ".join(f"{label} {fmt(median_of(loads, k))}" for label, k in milestones.items()))
            print(f"  map message {fmt(median_of(loads, 'map_message_mb'), 'mb')} MB; "
                  f"{median_of(loads, 'requests'):.0f} HTTP requests, {fmt(median_of(loads, 'request_mb'), 'mb')} MB; "
                  f"main-thread long tasks {fmt(median_of(loads, 'longtask_s'))} s")
    print("\nEach action, in s: total = input → new map; client = input → value sent; server = sent → map message"
          " received;\npage = map message → iframe's render event; iframe = render event → new map (eval + Leaflet);"
          " paint = input → next frame;\nrun end = sent → last message of the run; MB = size of the map message"
          " (near 0: only a reference to a message\nthe browser still holds); decode = the main-thread task taking it"
          " in; longtask = main-thread long tasks (page and\niframe share the thread) between input and new map.")
    for name, key in (("built-in", "builtin"), ("synthetic", "synthetic")):
        data = results.get(key) or {}
        for kind in ("slider", "theme"):
            actions = data.get(kind) or []
            if not actions:
                continue
            print(f"\n{name}, {kind}:")
            print(f"  {'action':<22}{'total':>7}{'client':>8}{'server':>8}{'page':>7}{'iframe':>8}{'paint':>7}"
                  f"{'run end':>8}{'MB':>7}{'decode':>8}{'longtask':>9}{'paths':>7}  years/stamp")
            for r in actions:
                if r is None:
                    print("  (never drew)")
                    continue
                print(f"  {r['label']:<22}{fmt(r['s']):>7}{fmt(r['client_s']):>8}{fmt(r['server_s']):>8}"
                      f"{fmt(r['page_s']):>7}{fmt(r['iframe_s']):>8}{fmt(r['painted_s']):>7}{fmt(r['run_end_s']):>8}"
                      f"{fmt(r['map_message_mb'], 'mb'):>7}{fmt(r['map_message_task_s']):>8}{fmt(r['longtask_s']):>9}"
                      f"{r['paths']:>7}  {'-'.join(r.get('years') or []) or r['stamp'][:40]}")
            columns = {"client": "client_s", "server": "server_s", "page": "page_s", "iframe": "iframe_s",
                       "run end": "run_end_s", "MB": "map_message_mb", "decode": "map_message_task_s",
                       "longtask": "longtask_s"}
            print("  medians: " + ", ".join(f"{name} {fmt(median_of(actions, key), 'mb' if name == 'MB' else 's')}"
                                            for name, key in columns.items()))

    fence = results.get("fence_check") or {}
    print(f"\nfence check (separate page): request to another host {fence.get('http')}, socket {fence.get('ws')}, "
          f"app server {fence.get('local')}, {len(fence.get('aborted', []))} counted as aborted: "
          f"{'ok' if fence.get('ok') else 'NOT OK'}")
    if fence and not fence.get("ok"):
        ok = False
        print("FAIL the network fence did not behave as expected")
    print(f"requests allowed (app server): {monitor.allowed}; aborted (would leave the machine): "
          f"{len(monitor.blocked)}")
    for url in monitor.blocked[:20]:
        print(f"  aborted: {url}")
    problems = [("page error", monitor.page_errors), ("console error", monitor.console_errors),
                ("app exception/error shown", monitor.app_problems), ("never drew", monitor.never_drew)]
    for kind, items in problems:
        for text in items:
            ok = False
            print(f"FAIL {kind}: {text}")
    if not any(items for _, items in problems):
        print("no page errors, console errors or app exceptions; every action drew a new map")
    if misses:
        print("targets missed: " + "; ".join(misses))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--events", type=int, default=20_000, help="synthetic events (default 20000)")
    parser.add_argument("--moves", type=int, default=7, help="slider moves per dataset (default 7, at least 1)")
    parser.add_argument("--skip-synthetic", action="store_true", help="only the built-in corpus")
    args = parser.parse_args()
    if args.moves < 1 or args.events < 1:
        parser.error("--moves and --events must be at least 1")
    from playwright.sync_api import sync_playwright

    from synthetic import write_synthetic_dataset

    monitor = Monitor()
    results: dict = {"moves": args.moves}
    with tempfile.TemporaryDirectory(prefix="mapapp-bench-browser-") as tmp, sync_playwright() as pw:
        tmp = Path(tmp)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                     timeout=TIMEOUT_S * 1000)
        try:
            with app_server(tmp / "builtin") as (base, log):
                results["fence_check"] = check_fence(browser, base)
                try:
                    results["builtin"] = measure_server(browser, base, monitor, name="built-in", moves=args.moves,
                                                        warm_pages=WARM_PAGES, toggles=TOGGLES)
                finally:
                    results["builtin_server_log_tail"] = tail(log)
            if not args.skip_synthetic:
                monitor.phase = "synthetic: writing the dataset"
                t0 = time.perf_counter()
                folder = write_synthetic_dataset(tmp / "synthetic-data", n=args.events)
                results["synthetic_events"] = args.events
                results["synthetic_write_s"] = time.perf_counter() - t0
                with app_server(tmp / "synthetic", dataset=folder) as (base, log):
                    try:
                        results["synthetic"] = measure_server(browser, base, monitor, name="synthetic",
                                                              moves=args.moves, warm_pages=1, toggles=0)
                    finally:
                        results["synthetic_server_log_tail"] = tail(log)
        finally:
            browser.close()
    ok = report(results, monitor)
    results["summary"] = {
        **{f"{key}_{kind}": summary([r and r["s"] for r in (results.get(key) or {}).get(kind) or []])
           for key in ("builtin", "synthetic") for kind in ("first_map_warm", "slider", "theme")},
        "targets_s": TARGETS}
    results["aborted_requests"] = monitor.blocked
    results["allowed_requests"] = monitor.allowed
    results["page_errors"] = monitor.page_errors
    results["console_errors"] = monitor.console_errors
    results["app_problems"] = monitor.app_problems
    results["never_drew"] = monitor.never_drew
    results["ok"] = ok
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
