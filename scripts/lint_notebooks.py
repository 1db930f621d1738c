"""Lint and format-check the code cells of the text notebooks with ruff, by the package's rules.

    .venv/bin/python scripts/lint_notebooks.py          # exit 1 and ruff's findings, if any
    .venv/bin/python scripts/lint_notebooks.py --fix    # format the cells, apply ruff's safe fixes

jupytext turns each MyST notebook into a temporary .ipynb, which ruff checks as a notebook (cell by
cell: an import at the top of a later cell is fine) with the settings in pyproject.toml. Findings
name the text notebook and the code cell, e.g. ``chapters/story/visit.md:cell 3:1:1: F401 ...``.
``--fix`` writes a notebook back only when ruff changed one of its cells.

Run by the pre-commit hook and by the test suite (tests/test_quality.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
#: Where the book's notebooks live; a page there is a notebook when its header names a kernel.
PAGES = ("chapters/**/*.md", "templates/*.md", "*.md")
FORMAT = "md:myst"
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"


def is_notebook(page: Path) -> bool:
    text = page.read_text(encoding="utf-8")
    return text.startswith("---\n") and "\nkernelspec:" in text.split("\n---", 1)[0]


def notebooks(root: Path = ROOT) -> list[Path]:
    found = {page for pattern in PAGES for page in root.glob(pattern)}
    return sorted(page for page in found if is_notebook(page))


def code_sources(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def lint(pages: list[Path], root: Path = ROOT, fix: bool = False) -> tuple[bool, str]:
    """Run ruff over the code cells of ``pages``; return (clean, ruff's report).

    With ``fix``, first apply ruff's safe fixes and its formatting and write changed notebooks back;
    the report then lists what is left to fix by hand.
    """
    config = root / "pyproject.toml"
    with tempfile.TemporaryDirectory(prefix="lint-notebooks-") as tmp:
        copies = {}
        for page in pages:
            copy = Path(tmp) / page.relative_to(root).with_suffix(".ipynb")
            copy.parent.mkdir(parents=True, exist_ok=True)
            notebook = jupytext.read(page, fmt=FORMAT)
            jupytext.write(notebook, copy)
            copies[page] = (copy, notebook)
        names = [str(copy.relative_to(tmp)) for copy, _ in copies.values()]

        def ruff(*args: str) -> subprocess.CompletedProcess:
            command = [RUFF, *args, "--config", str(config), "--no-cache", *names]
            return subprocess.run(command, cwd=tmp, capture_output=True, text=True)

        if fix:
            ruff("check", "--fix", "--quiet")
            ruff("format", "--quiet")
            for page, (copy, notebook) in copies.items():
                fixed = code_sources(jupytext.read(copy))
                if fixed != code_sources(notebook):
                    cells = (cell for cell in notebook.cells if cell.cell_type == "code")
                    for cell, source in zip(cells, fixed, strict=True):
                        cell.source = source
                    jupytext.write(notebook, page, fmt=FORMAT)
        checked = ruff("check", "--output-format", "concise")
        formatted = ruff("format", "--check", "--diff")
    clean = checked.returncode == formatted.returncode == 0
    report = "\n".join(
        part.strip()
        for result in (checked, formatted)
        for part in (result.stdout, result.stderr)
        if part.strip()
    )
    return clean, report.replace(".ipynb", ".md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="format and fix the cells in place")
    parser.add_argument("pages", nargs="*", type=Path, help="notebooks (default: all)")
    args = parser.parse_args()
    pages = [page.resolve() for page in args.pages] or notebooks()
    pages = [page for page in pages if is_notebook(page)]  # pre-commit passes every .md
    if not pages:
        return 0
    clean, report = lint(pages, fix=args.fix)
    if not clean:
        print(report)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
