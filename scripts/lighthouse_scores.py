"""Lighthouse scores for every page of a built book, served compressed as GitHub Pages serves it.

    .venv/bin/python scripts/lighthouse_scores.py _build/html [chapters/trade/eu.html ...]

(``make bench`` runs it on the benchmark's own build.) Lighthouse is pinned in ``tools/lighthouse``
(``package.json`` and ``package-lock.json``) and installed from them with ``npm ci`` into
``.venv/lighthouse`` on first use; it drives the Chromium the tests use. A plain local server would send text uncompressed and overstate its cost,
so pages are served gzip-compressed, with GitHub Pages' ten-minute cache lifetime. Scores under
CPU load from other processes are pessimistic: the load average is printed alongside.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools" / "lighthouse"
#: Installed inside .venv, which copies of the project (the tests' builds) leave out.
INSTALL = ROOT / ".venv" / "lighthouse"
LIGHTHOUSE = INSTALL / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: The issue's targets (mobile performance 90, desktop 98; the other categories 100 on both).
TARGETS = {"mobile": {"performance": 90}, "desktop": {"performance": 98}}
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".txt", ".xml", ".map", ".ipynb", ".md"}

sys.path.insert(0, str(ROOT))
from backtoback.browser import CHROMIUM, CHROMIUM_ARGS, chromium_missing  # noqa: E402
from tests.conftest import QuietHandler  # noqa: E402


class GzipHandler(QuietHandler):
    """Static files, text gzip-compressed when the client accepts it (as GitHub Pages does)."""

    cache: dict[Path, bytes] = {}

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix not in COMPRESSED
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        if path not in self.cache:
            self.cache[path] = gzip.compress(path.read_bytes(), 6)
        body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return BytesIO(body)


def ensure_lighthouse() -> Path:
    """Install the pinned Lighthouse (``npm ci``) when missing or when its lock file changed."""
    lock = (TOOLS / "package-lock.json").read_text()
    if not LIGHTHOUSE.exists() or (INSTALL / "package-lock.json").read_text() != lock:
        INSTALL.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            (INSTALL / name).write_text((TOOLS / name).read_text())
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=INSTALL, check=True)
    return LIGHTHOUSE


def pages_of(site: Path) -> list[str]:
    """Every HTML page of the site (the front door index.html too) except search and index pages."""
    pages = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if "_static" in html.parts or rel in ("search.html", "genindex.html"):
            continue
        pages.append(rel)
    return pages


def run_lighthouse(url: str, form_factor: str) -> dict[str, float]:
    """Category scores (0-100) of one Lighthouse run, and the first contentful paint in seconds."""
    with tempfile.TemporaryDirectory(prefix="lh-") as tmp:
        report = Path(tmp) / "report.json"
        command = [
            str(ensure_lighthouse()),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            # Lighthouse starts Chromium itself, headed unless told otherwise.
            "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS]),
        ]
        if form_factor == "desktop":
            command.append("--preset=desktop")
        subprocess.run(
            command,
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            timeout=300,
        )
        result = json.loads(report.read_text())
    scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
    audits = result["audits"]
    scores["fcp"] = audits["first-contentful-paint"]["numericValue"] / 1000
    scores["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    scores["failed"] = sorted(
        ref["id"]
        for c in CATEGORIES[1:]
        for ref in result["categories"][c]["auditRefs"]
        if ref["weight"]
        and audits[ref["id"]]["score"] is not None
        and audits[ref["id"]]["score"] < 1
    )
    return scores


def lighthouse_scores(site: Path, pages: list[str] | None = None) -> list[tuple[str, str, dict]]:
    """(page, form factor, scores) for each page, mobile and desktop."""
    if missing := chromium_missing():
        sys.exit(missing)
    handler = functools.partial(GzipHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.handle_error = lambda request, address: None  # a client that hung up early
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    results = []
    try:
        for page in pages or pages_of(site):
            for form_factor in ("mobile", "desktop"):
                results.append((page, form_factor, run_lighthouse(f"{base}/{page}", form_factor)))
    finally:
        httpd.shutdown()
    return results


def print_scores(results: list[tuple[str, str, dict]]) -> None:
    print(f"== Lighthouse (served gzip-compressed; load average {os.getloadavg()[0]:.1f})")
    print("  perf  a11y  best   seo   FCP s  form     page   [below target]")
    misses = 0
    for page, form_factor, s in results:
        target = TARGETS[form_factor]["performance"]
        below = [c for c in CATEGORIES if s[c] < (target if c == "performance" else 100)]
        misses += bool(below)
        note = f"  [{', '.join(below)}{': ' + ', '.join(s['failed']) if s['failed'] else ''}]"
        print(
            f"  {s['performance']:4d}  {s['accessibility']:4d}  {s['best-practices']:4d}  "
            f"{s['seo']:4d}  {s['fcp']:6.2f}  {form_factor:7s}  {page}{note if below else ''}"
        )
    print(f"  {misses} of {len(results)} runs below target")


if __name__ == "__main__":
    site_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "html")
    print_scores(lighthouse_scores(site_dir, sys.argv[2:] or None))
