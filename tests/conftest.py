"""Shared fixtures: the project paths, a book built once from scratch, a local server and Chromium.

The browser blocks every request that does not go to the local server and records it, so a test can
assert that the built site loads nothing from outside itself.

Markers: a test that needs a book build is marked ``build``, one that drives Chromium ``browser``.
A test that uses the ``built_project``, ``site``, ``server``, ``demo_builds`` or ``browser``
fixtures (directly or through another fixture) gets its marker automatically; one that calls
:func:`build_book` itself must say ``@pytest.mark.build``. ``make check`` runs the tests with neither marker, and fails a
test that builds a book or opens Chromium without its marker, saying so.
"""

from __future__ import annotations

import datetime as dt
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

from backtoback.browser import chromium_missing, launch_chromium

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "research"
#: What a from-scratch copy of the project needs (no caches, no build output, no venv).
IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info"
)


#: Set by ``make check``: no book build and no browser in this run.
NO_BUILD = "BACKTOBACK_NO_BUILD"
#: An already-built project to test instead of building one (see :func:`built_project`).
BUILT_PROJECT = "BACKTOBACK_BUILT_PROJECT"
#: Fixtures that build the book or start Chromium, and the marker a test using them gets.
MARKED_BY_FIXTURE = {"built_project": "build", "demo_builds": "build", "browser": "browser"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


def refuse_in_check_run(what: str, marker: str) -> None:
    """Fail, naming the missing marker, when ``make check`` (no builds, no browser) reaches ``what``."""
    if os.environ.get(NO_BUILD):
        pytest.fail(
            f"this test {what}, which `make check` never does: mark it @pytest.mark.{marker}",
            pytrace=False,
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
    refuse_in_check_run("builds a book", "build")
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


@dataclass
class DemoBuilds:
    """A small book built three times in a row (see :func:`demo_builds`)."""

    project: Path
    first: subprocess.CompletedProcess  #: from scratch
    rebuild: subprocess.CompletedProcess  #: nothing changed
    site: Path  #: a copy of _build/html after the rebuild
    corrupted: subprocess.CompletedProcess  #: after two cells of a data file were corrupted
    corrupted_value: str  #: what line 2's ``value`` of imf_dots_trade.csv was turned into


#: The demo book's second page: the contributor template, reading a dataset made from the template.
TEMPLATE_PAGE = "from-template"


@pytest.fixture(scope="session")
def demo_builds(tmp_path_factory) -> DemoBuilds:
    """The demo chapter and a chapter made from the templates, built three times in a row.

    No repository is set. First from scratch, then again with nothing changed (which should execute
    nothing), then after line 2's ``value`` and line 5's ``unit`` of ``imf_dots_trade.csv`` were
    corrupted (which should re-execute and fail, naming both cells). One book, several tests.
    """
    chapter = (ROOT / "templates" / "chapter.md").read_text()
    # the new chapter also reads the new dataset, so the dataset template is exercised too
    chapter += (
        "\n```{code-cell} ipython3\nnew = data.load('template_dataset')\n"
        "assert new['value'].sum() == 4.0\n```\n"
    )
    project = mini_book(
        tmp_path_factory.mktemp("demo"), {"how-this-book-works": None, TEMPLATE_PAGE: chapter}
    )
    shutil.copy(ROOT / "templates" / "dataset.csv", project / "data" / "template_dataset.csv")
    with open(project / "data" / "catalog.yaml", "a") as catalog:
        catalog.write((ROOT / "templates" / "dataset.yaml").read_text())
    first = build_book(project)
    rebuild = build_book(project)
    site = shutil.copytree(project / "_build" / "html", project.parent / "html-after-rebuild")

    csv = project / "data" / "imf_dots_trade.csv"
    header, *rows = csv.read_text().split("\n")
    column = header.split(",").index("value")
    cells = rows[0].split(",")
    cells[column] = corrupted = cells[column].replace(".", "x.", 1)
    rows[0] = ",".join(cells)
    rows[3] = rows[3].replace(",USD million,", ",USD mn,", 1)
    csv.write_text("\n".join([header, *rows]))
    return DemoBuilds(project, first, rebuild, site, build_book(project), corrupted)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The whole book, built once per test session from a clean copy (fresh execution cache).

    To iterate on tests of the built pages without rebuilding, point ``BACKTOBACK_BUILT_PROJECT``
    at a project folder whose ``_build/html`` is already built (``make test`` never sets it).
    """
    if os.environ.get(BUILT_PROJECT):
        return Path(os.environ[BUILT_PROJECT])
    project = copy_project(tmp_path_factory.mktemp("book") / "project")
    set_repository(project, EXAMPLE_REPOSITORY)
    started = utc_today()
    result = build_book(project)
    assert result.returncode == 0, (
        f"book build failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}"
    )
    BUILD_DAYS[project] = days_between(started, utc_today())
    return project


#: The UTC days each test build ran on: a copy without git is dated to the day its build started,
#: and a build begun before midnight ends the next day (a CI run failed on exactly that).
BUILD_DAYS: dict[Path, list[dt.date]] = {}


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture(scope="session")
def build_days(built_project) -> list[dt.date]:
    """The days the book under test may be dated to if it has no git history.

    For a project built elsewhere (``BACKTOBACK_BUILT_PROJECT``) the start is not known: the day
    its how-to-cite page was written, or the day before.
    """
    if built_project in BUILD_DAYS:
        return BUILD_DAYS[built_project]
    page = built_project / "_build" / "html" / "chapters" / "how-to-cite.html"
    written = dt.datetime.fromtimestamp(page.stat().st_mtime, dt.UTC).date()
    return days_between(written - dt.timedelta(days=1), written)


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
    refuse_in_check_run("drives Chromium", "browser")
    playwright_api = pytest.importorskip("playwright.sync_api")
    if missing := chromium_missing():
        pytest.fail(missing)
    with playwright_api.sync_playwright() as p:
        chromium = launch_chromium(p)
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


def visit_page(
    browser,
    server: str,
    path: str,
    width: int = 1280,
    javascript: bool = True,
    color_scheme: str = "light",
):
    """Open ``path`` of the site at ``server`` in a new browser context; return (context, visit).

    Every request outside the local server is blocked and recorded. The caller closes the context.
    """
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
        color_scheme=color_scheme,
    )
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

    def console(message):
        # Chromium asks the server's root for /favicon.ico by itself, a moment after the page has
        # loaded; that is not a request of the page (which the book, served under a path on
        # GitHub Pages, does not control), so its 404 is not counted as a page error.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            visit.console_errors.append(message.text)

    visit.page.on("console", console)
    visit.page.on("pageerror", lambda e: visit.console_errors.append(str(e)))

    def count(request):
        response = request.response()
        try:
            visit.bytes_loaded += len(response.body()) if response else 0
        except PlaywrightError:  # a page that redirects (index.html) navigates away first
            pass

    visit.page.on("requestfinished", count)
    visit.page.goto(f"{server}/{path}")
    visit.page.wait_for_load_state("networkidle")
    return context, visit


@pytest.fixture
def open_page(browser, server):
    """``open_page("chapters/x.html", width=375, color_scheme="dark")`` -> :class:`PageVisit`.

    Every request outside the local server is blocked and recorded.
    """
    contexts = []

    def _open(
        path: str, width: int = 1280, javascript: bool = True, color_scheme: str = "light"
    ) -> PageVisit:
        context, visit = visit_page(browser, server, path, width, javascript, color_scheme)
        contexts.append(context)
        return visit

    yield _open
    for context in contexts:
        context.close()


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to it."""
    return sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if "_static" not in p.parts
    )


PHONE_WIDTH = 375
#: axe-core's checks for WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@dataclass
class SweptPage:
    """One page of the built book as the browser sweep saw it (see :func:`page_sweep`)."""

    path: str
    #: what the page asked for and complained about at desktop width (1280 px) in light mode, and
    #: at phone width while switched from light to dark mode (not counting what axe-core logs)
    desktop: PageVisit
    phone: PageVisit
    #: by colour scheme, at phone width: axe-core's WCAG AA findings ("rule (impact, n×): first
    #: element") and the sideways scroll in px
    axe_violations: dict[str, list[str]] = field(default_factory=dict)
    sideways_scroll: dict[str, int] = field(default_factory=dict)


def sweep_page(browser, server: str, path: str) -> SweptPage:
    """Load ``path`` twice: at desktop width, and at phone width in light and then dark mode.

    Dark mode is the reader's system setting changed on the loaded page (the theme follows it);
    the sweep checks that it did.
    """
    from axe_playwright_python.sync_playwright import Axe

    context, desktop = visit_page(browser, server, path)
    desktop.page.close()  # keep what it recorded, not the page
    context.close()
    context, phone = visit_page(browser, server, path, width=PHONE_WIDTH)
    swept = SweptPage(path=path, desktop=desktop, phone=phone)
    page_errors, seen = [], 0
    try:
        for scheme in ("light", "dark"):
            page = phone.page
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function(
                "scheme => document.documentElement.dataset.theme === scheme",
                arg=scheme,
                timeout=5000,
            )
            page_errors += phone.console_errors[seen:]
            violations = Axe().run(page, options=WCAG_AA).response["violations"]
            # axe-core logs 404s of its own: it re-fetches each stylesheet's @import relative to
            # the page instead of the stylesheet. Those are not the page's errors.
            seen = len(phone.console_errors)
            swept.axe_violations[scheme] = [
                f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['nodes'][0]['target']}"
                for v in violations
            ]
            swept.sideways_scroll[scheme] = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
        phone.console_errors[:] = page_errors
    finally:
        context.close()
    return swept


@pytest.fixture(scope="session")
def page_sweep(site, browser, server) -> dict[str, SweptPage]:
    """Every page of the built book, opened in Chromium (network blocked) in one shared pass.

    Tests that need each page's requests, errors, weight, axe-core findings or width read them
    here instead of opening every page again. Maps the page path (``chapters/x.html``) to
    :class:`SweptPage`.
    """
    return {path: sweep_page(browser, server, path) for path in built_pages(site)}


def visible_views(switch) -> list[str]:
    """The ``data-view`` of each panel of a book switch (backtoback.toggle) that is showing."""
    return [
        p.get_attribute("data-view")
        for p in switch.locator(":scope > .btb-switch-panel").all()
        if p.is_visible()
    ]
