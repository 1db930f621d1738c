"""Benchmark the book: notebook run times, cold build, no-change rebuild, and page weight.

    make bench        (or: .venv/bin/python scripts/benchmark.py)
    .venv/bin/python scripts/benchmark.py --lighthouse [SITE]   Lighthouse only, on a built site

Also the time the build spends on the PDF edition (from the build's own log line) and Lighthouse
scores for every page (scripts/lighthouse_scores.py: served compressed, mobile and desktop).

Prints figures, asserts nothing: a benchmark, not a timed test. Page weight is the bytes of every
response a page needs when loaded in headless Chromium from a local server (uncompressed; the
gzip figure estimates what a compressing static host such as GitHub Pages would send).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from lighthouse_scores import lighthouse_scores, print_scores  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from time_notebooks import execute, notebooks  # noqa: E402

from tests.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    EXAMPLE_REPOSITORY,
    QuietHandler,
    build_book,
    copy_project,
    set_repository,
)


def timed_build(project: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = build_book(project)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith("PDF edition"):  # backtoback.pdf times itself
            print(f"  ({line})")
    return seconds, (result.stdout + result.stderr).count("Executing notebook")


def record_body(bodies: list[bytes], request) -> None:
    response = request.response()
    try:
        bodies.append(response.body() if response else b"")
    except (
        PlaywrightError
    ):  # a page that redirects (index.html) navigates away before its body is read
        bodies.append(b"")


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """(page, bytes, gzip bytes, requests) for every HTML page, loaded in Chromium."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for html in sorted(site.rglob("*.html")):
            if "_static" in html.parts:
                continue
            context = browser.new_context()  # a fresh cache per page
            page = context.new_page()
            bodies: list[bytes] = []
            page.on("requestfinished", functools.partial(record_body, bodies))
            page.goto(f"{base}/{html.relative_to(site)}")
            page.wait_for_load_state("networkidle")
            raw = sum(len(b) for b in bodies)
            zipped = sum(len(gzip.compress(b, 6)) for b in bodies)
            results.append((str(html.relative_to(site)), raw, zipped, len(bodies)))
            context.close()
        browser.close()
    httpd.shutdown()
    return results


def main() -> None:
    print("== Notebooks, executed top to bottom in a fresh kernel (outside Sphinx)")
    total = 0.0
    for path in notebooks():
        seconds, _ = execute(path)
        total += seconds
        print(f"  {seconds:6.2f} s  {path.relative_to(ROOT)}")
    print(f"  {total:6.2f} s  all notebooks")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        set_repository(project, EXAMPLE_REPOSITORY)  # pages as published, with launch buttons
        cold, executed = timed_build(project)
        print(f"== Cold build (empty cache): {cold:.1f} s, {executed} notebooks executed")
        warm, executed = timed_build(project)
        print(f"== No-change rebuild: {warm:.1f} s, {executed} notebooks executed")

        weights = page_weights(project / "_build" / "html")
        print("== Page weight (all responses; uncompressed / gzip estimate / requests)")
        for page, raw, zipped, count in sorted(weights, key=lambda w: -w[1])[:5]:
            print(f"  {raw / 1e6:5.2f} MB / {zipped / 1e6:5.2f} MB / {count:3d}  {page}")
        page, raw, zipped, count = max(weights, key=lambda w: w[1])
        print(f"Heaviest page: {page}: {raw:,} bytes ({zipped:,} gzipped) in {count} requests")

        print_scores(lighthouse_scores(project / "_build" / "html"))


if __name__ == "__main__":
    if "--lighthouse" in sys.argv:
        site = sys.argv[sys.argv.index("--lighthouse") + 1 :] or [ROOT / "_build" / "html"]
        print_scores(lighthouse_scores(Path(site[0])))
    else:
        main()
