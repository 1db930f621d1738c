"""Shared fixtures: the project paths, a book built once from scratch, a local server and Chromium.

The browser blocks every request that does not go to the local server and records it, so a test can
assert that the built site loads nothing from outside itself.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "research"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: What a from-scratch copy of the project needs (no caches, no build output, no venv).
IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info"
)


#: A repository URL for test builds, so that pages get launch buttons and downloads a set-up cell.
EXAMPLE_REPOSITORY = "https://github.com/example-org/back-to-back"


def set_repository(project: Path, url: str) -> None:
    """Set ``repository.url`` in the project's ``_config.yml`` (the one place it is set)."""
    config = project / "_config.yml"
    text = config.read_text()
    assert text.count('\n  url: ""\n') == 1, "_config.yml: expected one empty repository url"
    config.write_text(text.replace('\n  url: ""\n', f"\n  url: {url}\n"))


def copy_project(dest: Path) -> Path:
    """A clean copy of the project to build in, so tests never touch the working tree's _build."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def build_book(source: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the README's build (jupyter-book, warnings as errors) on ``source``; return the result.

    PYTHONPATH makes the notebooks import the copy's ``backtoback`` (and so read the copy's data),
    not the installed working tree's. The GitHub Actions variables are dropped so that the
    repository a test build links to is the one its ``_config.yml`` names (see backtoback.launch).
    """
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("GITHUB_REPOSITORY", "GITHUB_SERVER_URL")
        },
        "PYTHONPATH": os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(source),
            "-W",
            "-n",
            "--keep-going",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        env=env,
    )


def mini_book(tmp_path: Path, pages: dict[str, str]) -> Path:
    """The project's config and package with only ``pages`` in the toc (plus the references page).

    ``pages`` maps a path under chapters/ without suffix (e.g. ``"trade/eu"``) to its MyST text,
    or to ``None`` to keep the project's own file.
    """
    project = copy_project(tmp_path / "mini")
    chapters = "\n".join(
        [*(f"      - file: chapters/{name}" for name in pages), "      - file: references"]
    )
    (project / "_toc.yml").write_text(
        f"format: jb-book\nroot: intro\nparts:\n  - caption: Test\n    chapters:\n{chapters}\n"
    )
    (project / "intro.md").write_text("# Test book\n")
    for name, text in pages.items():
        if text is not None:
            (project / "chapters" / f"{name}.md").write_text(text)
    return project


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The whole book, built once per test session from a clean copy (fresh execution cache)."""
    project = copy_project(tmp_path_factory.mktemp("book") / "project")
    set_repository(project, EXAMPLE_REPOSITORY)
    result = build_book(project)
    assert result.returncode == 0, (
        f"book build failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    )
    return project


@pytest.fixture(scope="session")
def site(built_project) -> Path:
    return built_project / "_build" / "html"


@pytest.fixture(scope="session")
def server(site):
    """Serve the built site on 127.0.0.1 (a random free port); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)"
        )
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageVisit:
    """A page opened in Chromium, with what it asked for and what it complained about."""

    page: object
    local_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bytes_loaded: int = 0  # bodies of every response the page needed (uncompressed)


@pytest.fixture
def open_page(browser, server):
    """``open_page("chapters/x.html", width=375, color_scheme="dark")`` -> :class:`PageVisit`.

    Every request outside the local server is blocked and recorded.
    """
    contexts = []

    def _open(
        path: str, width: int = 1280, javascript: bool = True, color_scheme: str = "light"
    ) -> PageVisit:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            color_scheme=color_scheme,
        )
        contexts.append(context)
        visit = PageVisit(page=context.new_page())

        def route(request_route):
            url = request_route.request.url
            if url.startswith(server) or url.startswith("data:"):
                visit.local_requests.append(url)
                request_route.continue_()
            else:
                visit.blocked_requests.append(url)
                request_route.abort()

        context.route("**/*", route)
        visit.page.on(
            "console", lambda m: m.type == "error" and visit.console_errors.append(m.text)
        )
        visit.page.on("pageerror", lambda e: visit.console_errors.append(str(e)))

        def count(request):
            response = request.response()
            visit.bytes_loaded += len(response.body()) if response else 0

        visit.page.on("requestfinished", count)
        visit.page.goto(f"{server}/{path}")
        visit.page.wait_for_load_state("networkidle")
        return visit

    yield _open
    for context in contexts:
        context.close()


def visible_views(switch) -> list[str]:
    """The ``data-view`` of each panel of a book switch (backtoback.toggle) that is showing."""
    return [
        p.get_attribute("data-view")
        for p in switch.locator(":scope > .btb-switch-panel").all()
        if p.is_visible()
    ]
