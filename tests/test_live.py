"""Instructors' path: `make lab`'s set-up opens a chapter as a notebook, and its switch is live."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from backtoback import data

from .conftest import ROOT, copy_project

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 in chapters/, with the project's settings override (as `make lab`)."""
    project = copy_project(
        tmp_path / "project"
    )  # Lab writes checkpoints; keep them out of the tree
    settings = tmp_path / "settings"
    settings.mkdir()
    shutil.copy(ROOT / "jupyter" / "overrides.json", settings / "overrides.json")
    port, token = free_port(), "btb-test-token"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            "--no-browser",
            "--allow-root",  # CI runs as root
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--LabServerApp.app_settings_dir={settings}",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={project / 'chapters'}",
        ],
        env={**os.environ, "PYTHONPATH": str(project)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_overrides_open_text_notebooks_as_notebooks():
    overrides = json.loads((ROOT / "jupyter" / "overrides.json").read_text())
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}


def test_a_chapter_opens_as_a_notebook_and_its_switch_is_live(lab, browser):
    base, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/lab/tree/how-this-book-works.md?token={token}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)  # a notebook, not the text editor
    page.wait_for_function(  # the kernel has started and is idle
        "() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
        ".some(e => e.textContent.includes('| Idle'))",
        timeout=60_000,
    )
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    last_prompt = page.locator(".jp-InputPrompt").last
    page.wait_for_function(  # every cell has run (prompts show numbers, none is queued)
        "() => [...document.querySelectorAll('.jp-InputPrompt')]"
        ".every(e => /\\[\\d+\\]/.test(e.textContent) || !e.textContent.includes('['))",
        timeout=90_000,
    )
    last_prompt.scroll_into_view_if_needed()  # Lab renders only the cells in view
    buttons = page.locator(".widget-toggle-buttons")
    buttons.last.wait_for(timeout=30_000)
    table_button = buttons.last.locator("button", has_text="Table")
    table_button.click()
    switch = buttons.last.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    switch.locator("table").first.wait_for(state="visible", timeout=10_000)
    last_year = str(data.load("imf_dots_trade")["year"].max())
    assert last_year in switch.locator("table").first.inner_text()
    context.close()
