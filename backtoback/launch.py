"""Running a chapter elsewhere: Binder and Colab links, and a set-up cell for downloaded notebooks.

The repository URL is set in one place, ``repository.url`` in ``_config.yml``. Left empty, the
build uses the GitHub repository it runs in (GitHub Actions) or the clone's ``origin`` remote, so
a fork links to itself. With no GitHub repository known, pages get no launch buttons and the
downloads no set-up cell: never a link to the wrong repository.

- Binder opens the chapter's text notebook from ``repository.branch``; the repository's
  ``postBuild`` makes JupyterLab open it as a notebook.
- Colab opens only ``.ipynb`` files on GitHub, so the Pages workflow publishes the book's
  downloadable notebooks to the branch :data:`NOTEBOOKS_BRANCH` (``scripts/publish_notebooks.py``).
- Every downloadable notebook starts with :func:`setup_source`: where the book's package is not
  importable (Colab, or a download opened anywhere), it fetches the repository and installs the
  pinned notebook requirements.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: jupyter-book's own repository, which it fills in when ``repository.url`` is not set.
JUPYTER_BOOK_DEFAULT = "https://github.com/executablebooks/jupyter-book"
#: The branch the Pages workflow publishes the downloadable notebooks to, for Colab.
NOTEBOOKS_BRANCH = "notebooks"
#: What the notebooks import at run time (a subset of requirements.txt, pinned).
NOTEBOOK_REQUIREMENTS = "requirements-notebooks.txt"
#: Where the set-up cell clones the repository, relative to the notebook's working folder.
CLONE_FOLDER = "back-to-back"

GITHUB_URL = re.compile(
    r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[\w.-]+)/(?P<name>[\w.-]+?)(?:\.git)?/?$"
)


class RepositoryError(ValueError):
    """``repository.url`` in ``_config.yml`` is set but is not a GitHub repository URL."""


@dataclass(frozen=True)
class Repository:
    owner: str
    name: str
    branch: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def binder_url(self, source_path: str) -> str:
        """Binder, opening ``source_path`` (relative to the repository root) in JupyterLab."""
        return (
            f"https://mybinder.org/v2/gh/{self.owner}/{self.name}/{self.branch}"
            f"?urlpath=lab/tree/{source_path}"
        )

    def colab_url(self, pagename: str) -> str:
        """Colab, opening the page's notebook as published on :data:`NOTEBOOKS_BRANCH`."""
        return (
            f"https://colab.research.google.com/github/{self.owner}/{self.name}"
            f"/blob/{NOTEBOOKS_BRANCH}/{pagename}.ipynb"
        )


def parse_github_url(url: str) -> tuple[str, str] | None:
    match = GITHUB_URL.match(url.strip())
    return (match["owner"], match["name"]) if match else None


def _github_actions_url(environ) -> str:
    repository = environ.get("GITHUB_REPOSITORY", "")
    server = environ.get("GITHUB_SERVER_URL", "https://github.com")
    return f"{server}/{repository}" if repository else ""


def _origin_url(root: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def find_repository(configured: str, branch: str, root: Path, environ=None) -> Repository | None:
    """The book's GitHub repository: as configured, else where the build runs, else ``None``."""
    environ = os.environ if environ is None else environ
    branch = branch or "main"
    if configured and configured != JUPYTER_BOOK_DEFAULT:
        parts = parse_github_url(configured)
        if parts is None:
            raise RepositoryError(
                f"_config.yml: repository.url {configured!r} is not a GitHub repository URL "
                "(https://github.com/OWNER/NAME); Binder and Colab links need one. "
                "Fix it, or leave it empty to use the clone's origin remote."
            )
        return Repository(*parts, branch)
    for candidate in (_github_actions_url(environ), _origin_url(root)):
        parts = parse_github_url(candidate) if candidate else None
        if parts:
            return Repository(*parts, branch)
    return None


SETUP_TEMPLATE = """\
# Set-up: this notebook uses the book's helper package and data. Where they are not installed
# (on Colab, or in a downloaded copy), fetch them from the book's repository.
import importlib.util

if importlib.util.find_spec("backtoback") is None:
    import subprocess
    import sys
    from importlib.metadata import version
    from pathlib import Path

    clone = Path({clone}).resolve()
    if not clone.exists():
        git = ["git", "clone", "--quiet", "--depth", "1", "--branch", {branch}]
        subprocess.run([*git, {url}, str(clone)], check=True)
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "-r", str(clone / {requirements})], check=True)
    sys.path.insert(0, str(clone))

    # A library updated after it was loaded keeps its old version until the kernel restarts.
    module_of = {{"pandas": "pandas", "numpy": "numpy", "matplotlib": "matplotlib",
                 "ipywidgets": "ipywidgets", "pillow": "PIL", "pyyaml": "yaml"}}
    stale = [
        name
        for name, module in module_of.items()
        if module in sys.modules
        and getattr(sys.modules[module], "__version__", None) != version(name)
    ]
    if stale:
        raise RuntimeError(
            f"{{', '.join(stale)}} changed version while loaded: restart the kernel "
            "(on Colab: Runtime > Restart session) and run the notebook again."
        )
"""


def setup_source(repository: Repository) -> str:
    """The first cell of every downloadable notebook (a no-op where the book is installed)."""
    quoted = json.dumps  # a double-quoted Python string literal, like the rest of the cell
    return SETUP_TEMPLATE.format(
        clone=quoted(CLONE_FOLDER),
        branch=quoted(repository.branch),
        url=quoted(repository.url),
        requirements=quoted(NOTEBOOK_REQUIREMENTS),
    )
