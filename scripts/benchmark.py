"""Benchmark the book: notebook run times, cold build, no-change rebuild, page weight, test times.

    make bench        (or: .venv/bin/python scripts/benchmark.py)
    .venv/bin/python scripts/benchmark.py --tests-only [--ref COMMIT]   # just the test times
    .venv/bin/python scripts/benchmark.py --lighthouse [SITE]   Lighthouse only, on a built site

Also the time the build spends on the PDF edition (from the build's own log line) and Lighthouse
scores for every page (scripts/lighthouse_scores.py: served compressed, mobile and desktop).

Prints figures, asserts nothing: a benchmark, not a timed test. Page weight is the bytes of every
response a page needs when loaded in headless Chromium from a local server (uncompressed; the
gzip figure estimates what a compressing static host such as GitHub Pages would send).

Test times are the wall time of ``make check`` and ``make test`` in a fresh clone of the
repository's committed HEAD (or ``--ref``) in a temporary folder, as a new contributor would run
them, except that the clone reuses this checkout's ``.venv`` through a symlink instead of
installing the pinned packages again (``make -o`` keeps make from re-installing into it). The clone
has no ``../shared`` beside it, so the tests that read the research notes skip, as on any fresh
clone. A commit without a ``check`` target is timed with the command that target runs.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import resource
import subprocess
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

from backtoback.browser import chromium_missing, launch_chromium  # noqa: E402
from tests.conftest import (  # noqa: E402
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
        browser = launch_chromium(p)
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


#: What ``make check`` runs; used to time commits from before the target existed.
CHECK_COMMAND = ["-m", "pytest", "-m", "not build and not browser"]


def clone_at(ref: str, dest: Path) -> Path:
    """A fresh clone of this repository at ``ref``, sharing this checkout's ``.venv`` (symlink)."""
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(dest)], check=True)
    subprocess.run(["git", "checkout", "--quiet", ref], cwd=dest, check=True)
    (dest / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    return dest


def has_make_target(clone: Path, target: str) -> bool:
    probe = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", target], cwd=clone, capture_output=True
    )
    return probe.returncode == 0


def timed_tests(clone: Path, target: str) -> tuple[float, float, str]:
    """Wall and CPU time of ``make <target>`` in ``clone``; what was run, pytest's closing line.

    The CPU time (user + system of the processes the run started and waited for) says how much
    work the run was when other jobs share the machine and stretch the wall time. It leaves out
    processes nobody waits for (Chromium's helpers, for one), so it is a lower bound.
    """
    if has_make_target(clone, target):
        # -o: the symlinked .venv is up to date; never re-create or re-install into it
        command = ["make", "-o", ".venv/.installed-stamp", target]
    elif target == "check":
        command = [".venv/bin/python", *CHECK_COMMAND]
    else:
        return 0.0, 0.0, f"no make {target} in this commit"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=clone, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else f"exit {result.returncode}"
    failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    return seconds, cpu, "\n    ".join([f"{' '.join(command)}: {summary}", *failed])


def time_test_suites(ref: str, targets: tuple[str, ...] = ("check", "test")) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", ref], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"== Test wall times on a fresh clone of {commit[:10]} (reusing .venv through a symlink)")
    for target in targets:
        with tempfile.TemporaryDirectory(prefix="bench-clone-") as tmp:
            clone = clone_at(commit, Path(tmp) / "clone")
            seconds, cpu, summary = timed_tests(clone, target)
            print(f"  {seconds:7.1f} s wall, {cpu:7.1f} s CPU  make {target}: {summary}")


def chart_svg_bytes(site: Path) -> list[tuple[str, str, int, int]]:
    """(page, chart anchor, wide SVG bytes, phone SVG bytes) for every chart in the built site:
    the inline drawings of backtoback.style (points and downloads not counted)."""
    import re

    charts = []
    for html in sorted(site.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        for figure in re.finditer(r'<figure class="btb-figure" id="([^"]+)"', text):
            sizes = {}
            for layout in ("wide", "phone"):
                start = text.index(f'class="btb-chart btb-chart-{layout}"', figure.end())
                start = text.rindex("<svg", 0, start)
                sizes[layout] = len(text[start : text.index("</svg>", start) + 6].encode())
            charts.append((str(html.relative_to(site)), figure[1], sizes["wide"], sizes["phone"]))
    return charts


def print_chart_svg_bytes(site: Path) -> None:
    charts = chart_svg_bytes(site)
    print("== Chart SVG bytes (inline, wide / phone layout)")
    for page, anchor, wide, phone in charts:
        print(f"  {wide:7,} / {phone:7,}  {page}#{anchor}")
    if charts:
        page, anchor, wide, _ = max(charts, key=lambda c: c[2])
        print(f"Largest chart SVG: {page}#{anchor}: {wide:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests-only", action="store_true", help="only time make check/test")
    parser.add_argument("--ref", default="HEAD", help="commit to clone for the test times")
    parser.add_argument(
        "--targets", default="check,test", help="make targets to time (comma-separated)"
    )
    args = parser.parse_args()
    targets = tuple(args.targets.split(","))
    if args.tests_only:
        time_test_suites(args.ref, targets)
        return
    if missing := chromium_missing():  # page weights and Lighthouse need it: say so before building
        sys.exit(missing)

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
        print_chart_svg_bytes(project / "_build" / "html")
        print_scores(lighthouse_scores(project / "_build" / "html"))

    time_test_suites(args.ref, targets)


if __name__ == "__main__":
    if "--lighthouse" in sys.argv:
        site = sys.argv[sys.argv.index("--lighthouse") + 1 :] or [ROOT / "_build" / "html"]
        print_scores(lighthouse_scores(Path(site[0])))
    else:
        main()
