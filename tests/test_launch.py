"""Running a chapter elsewhere: Binder and Colab buttons, and downloads that set themselves up."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from backtoback import launch, teaching

from .conftest import EXAMPLE_REPOSITORY, ROOT, build_book, copy_project, mini_book, set_repository
from .test_teaching import book_figures, figures_drawn_afresh, notebook_pages

sys.path.insert(0, str(ROOT / "scripts"))
from publish_notebooks import publish  # noqa: E402


def git(*args: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout


# --- where the repository URL comes from ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/owner/book",
        "https://github.com/owner/book.git",
        "https://github.com/owner/book/",
        "git@github.com:owner/book.git",
    ],
)
def test_a_configured_github_url_is_used_as_it_is(url, tmp_path):
    repository = launch.find_repository(url, "main", tmp_path, environ={})
    assert repository == launch.Repository("owner", "book", "main")
    assert repository.url == "https://github.com/owner/book"


def test_a_configured_url_that_is_not_github_is_rejected_with_what_to_fix(tmp_path):
    with pytest.raises(launch.RepositoryError, match=r"_config\.yml: repository\.url"):
        launch.find_repository("https://example.org/owner/book", "main", tmp_path, environ={})


def test_unset_it_is_the_github_actions_repository_then_the_origin_remote_then_none(tmp_path):
    unset = launch.JUPYTER_BOOK_DEFAULT  # what jupyter-book fills in when the book sets nothing
    assert launch.find_repository(unset, "main", tmp_path, environ={}) is None
    assert launch.find_repository("", "main", tmp_path, environ={}) is None

    git("init", "--quiet", cwd=tmp_path)
    git("remote", "add", "origin", "git@github.com:fork-owner/fork.git", cwd=tmp_path)
    assert launch.find_repository("", "main", tmp_path, environ={}) == launch.Repository(
        "fork-owner", "fork", "main"
    )
    actions = {"GITHUB_REPOSITORY": "ci-owner/ci-book", "GITHUB_SERVER_URL": "https://github.com"}
    assert launch.find_repository(unset, "", tmp_path, environ=actions) == launch.Repository(
        "ci-owner", "ci-book", "main"
    )


def test_binder_opens_the_text_notebook_and_colab_the_published_ipynb():
    repository = launch.Repository("owner", "book", "main")
    assert repository.binder_url("chapters/trade/eu.md") == (
        "https://mybinder.org/v2/gh/owner/book/main?urlpath=lab/tree/chapters/trade/eu.md"
    )
    assert repository.colab_url("chapters/trade/eu") == (
        "https://colab.research.google.com/github/owner/book/blob/notebooks/chapters/trade/eu.ipynb"
    )


def test_the_notebook_requirements_are_the_books_own_pins():
    """The set-up cell installs requirements-notebooks.txt: the same versions the book builds with."""
    locked = dict(
        line.strip().lower().split("==")
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    pins = [
        line.split("==")
        for line in (ROOT / launch.NOTEBOOK_REQUIREMENTS).read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert pins, "no pins in requirements-notebooks.txt"
    for name, version in pins:
        assert locked.get(name.lower()) == version, f"{name}=={version} differs from the lock"
    assert f"-r {launch.NOTEBOOK_REQUIREMENTS}" in (ROOT / "requirements.txt").read_text()


# --- the built book ------------------------------------------------------------------------------


def launch_links(html: str) -> dict[str, str]:
    menu = BeautifulSoup(html, "html.parser").select(".dropdown-launch-buttons a")
    return {link.get_text(strip=True): link["href"] for link in menu}


@pytest.mark.build
def test_every_notebook_page_links_to_binder_and_to_a_published_colab_notebook(
    site, built_project, tmp_path
):
    published = {path.relative_to(tmp_path).as_posix() for path in publish(site, tmp_path)}
    pages = notebook_pages(site)
    assert len(pages) == len(published) >= 10
    colab_prefix = f"https://colab.research.google.com/github/example-org/back-to-back/blob/{launch.NOTEBOOKS_BRANCH}/"
    binder_prefix = "https://mybinder.org/v2/gh/example-org/back-to-back/main?urlpath=lab/tree/"
    for page in pages:
        links = launch_links((site / f"{page}.html").read_text(encoding="utf-8"))
        assert set(links) == {"Binder", "Colab"}, page
        assert links["Binder"].startswith(binder_prefix), page
        assert (built_project / links["Binder"].removeprefix(binder_prefix)).is_file(), page
        assert links["Colab"].removeprefix(colab_prefix) in published, page


@pytest.mark.build
def test_pages_that_are_not_notebooks_have_no_launch_buttons(site):
    notebooks = {str(page) for page in notebook_pages(site)}
    plain = [page for page in teaching.toc_pages() if page not in notebooks]
    assert plain, "expected some plain pages (references, glossary...)"
    for page in plain:
        assert launch_links((site / f"{page}.html").read_text(encoding="utf-8")) == {}, page


@pytest.mark.build
@pytest.mark.browser
def test_the_launch_menu_opens_from_the_keyboard(open_page):
    page = open_page("chapters/trade/eu.html").page
    toggle = page.locator(".dropdown-launch-buttons button")
    toggle.focus()
    page.keyboard.press("Enter")
    binder = page.get_by_role("link", name="Binder")
    binder.wait_for(state="visible", timeout=5000)
    assert "mybinder.org/v2/gh/example-org/back-to-back/main" in binder.get_attribute("href")


def test_without_a_repository_there_are_no_launch_buttons_and_no_borrowed_links(demo_builds):
    result = demo_builds.first  # the demo book sets no repository
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = demo_builds.site
    html = (site / "chapters" / "how-this-book-works.html").read_text(encoding="utf-8")
    assert launch_links(html) == {}
    assert "executablebooks/jupyter-book" not in html  # jupyter-book's fallback URL
    download = nbformat.read(site / "_sources/chapters/how-this-book-works.ipynb", as_version=4)
    assert "backtoback-setup" not in json.dumps(download.cells[0].metadata)


@pytest.mark.build
def test_a_repository_url_that_is_not_github_stops_the_build(tmp_path):
    project = mini_book(tmp_path, {"how-this-book-works": None})
    set_repository(project, "https://example.org/owner/book")
    result = build_book(project)
    assert result.returncode != 0
    assert "repository.url 'https://example.org/owner/book' is not a GitHub" in (
        result.stdout + result.stderr
    )


# --- a download opened where the book is not installed (as on Colab) -----------------------------


def fresh_kernel(tmp_path: Path) -> str:
    """A kernel that sees the test's packages but not ``backtoback`` (no editable install, no path).

    Its interpreter reaches this virtualenv's site-packages through a plain path entry, which
    (unlike the site folder itself) does not process the ``.pth`` of the editable install.
    """
    env = tmp_path / "fresh-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site_packages = Path(
        subprocess.run(
            [
                env / "bin" / "python",
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site_packages / "book-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    spec = tmp_path / "jupyter" / "kernels" / "fresh"
    spec.mkdir(parents=True)
    argv = [str(env / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "fresh", "language": "python"})
    )
    return str(tmp_path / "jupyter")


@pytest.mark.build
def test_a_download_run_without_the_book_installed_fetches_it_and_draws_the_same_figures(
    site, tmp_path, monkeypatch
):
    # The "GitHub repository" is a local clone of this project, reached through git's insteadOf.
    origin = copy_project(tmp_path / "origin")
    git("init", "--quiet", "--initial-branch", "main", cwd=origin)
    git("add", "--all", cwd=origin)
    git("commit", "--quiet", "-m", "book", cwd=origin)
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(f'[url "file://{origin}"]\n\tinsteadOf = {EXAMPLE_REPOSITORY}\n')
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.setenv("JUPYTER_PATH", fresh_kernel(tmp_path))

    page = "chapters/trade/eu"
    notebook = nbformat.read(site / "_sources" / f"{page}.ipynb", as_version=4)
    assert notebook.cells[0].metadata["tags"] == ["backtoback-setup"]
    notebook.cells.append(
        nbformat.v4.new_code_cell("import backtoback; print(backtoback.__file__)")
    )
    work = tmp_path / "downloads"
    work.mkdir()
    rerun = figures_drawn_afresh(
        notebook, kernel_name="fresh", resources={"metadata": {"path": str(work)}}
    )

    clone = work / launch.CLONE_FOLDER
    assert (clone / ".git").is_dir(), "the set-up cell did not clone the repository"
    imported_from = notebook.cells[-1].outputs[0]["text"].strip()
    assert imported_from.startswith(str(clone.resolve())), imported_from
    assert rerun == book_figures(site, page) != []
