"""Chromium in one place: where it is, the flags it starts with, and what to do when it is missing.

Four things start the same headless Chromium: the PDF edition (:mod:`backtoback.pdf`), the browser
tests (``tests/conftest.py``), the page weights of ``scripts/benchmark.py`` and Lighthouse
(``scripts/lighthouse_scores.py``, which passes :data:`CHROMIUM_ARGS` as ``--chrome-flags``).
Playwright cannot download its own browser on this project's machines, so it drives Debian's
``chromium`` through ``executable_path``; set ``CHROMIUM=/path/to/chromium`` to use another binary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

#: Every launch uses these, so a page prints, loads and scores the same in each of the four.
CHROMIUM_ARGS = [
    # Containers and CI run as root, where Chromium's own sandbox cannot start.
    "--no-sandbox",
    # Build machines have no GPU; software rendering draws the same pixels on every machine.
    "--disable-gpu",
    # The site is served over plain HTTP on 127.0.0.1: no QUIC (HTTP/3) attempts beside it.
    "--disable-quic",
    # No first-run dialogs or default-browser checks in a fresh profile.
    "--no-first-run",
    # No requests of Chromium's own (safe browsing, updates, components, sync): the site must load
    # nothing from outside itself, and the tests record every request that tries.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing() -> str | None:
    """None when :data:`CHROMIUM` can be started, else a sentence saying where it was looked for
    and how to install it."""
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
        "or set CHROMIUM=/path/to/chromium"
    )


def launch_chromium(playwright):
    """Headless Chromium with the project's flags, from a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
