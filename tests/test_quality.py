"""Repository hygiene: the same checks as the pre-commit hooks, plus the contributor templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT, TEMPLATE_PAGE

sys.path.insert(0, str(ROOT / "scripts"))
import check_notebooks
import lint_notebooks

FIXTURES = Path(__file__).parent / "fixtures"
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"


def test_ruff_lint_is_clean():
    result = subprocess.run([RUFF, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = subprocess.run([RUFF, "format", "--check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_notebooks_are_text_notebooks():
    assert check_notebooks.problems() == []


def test_notebook_code_cells_pass_ruff_lint_and_format():
    clean, report = lint_notebooks.lint(lint_notebooks.notebooks())
    assert clean, f"run scripts/lint_notebooks.py --fix, then fix what is left:\n{report}"


def test_every_page_with_code_cells_is_linted():
    pages = [
        page
        for folder in ("chapters", "templates")
        for page in (ROOT / folder).rglob("*.md")
        if "```{code-cell}" in page.read_text(encoding="utf-8")
    ]
    assert ROOT / "templates" / "chapter.md" in pages
    assert sorted(pages) == [p for p in lint_notebooks.notebooks() if p.parent != ROOT]


def test_notebook_lint_names_the_page_and_cell_of_a_lint_error_and_an_unformatted_cell(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    page = tmp_path / "chapters" / "bad-cells.md"
    page.parent.mkdir()
    shutil.copy(FIXTURES / "notebooks" / "bad-cells.md", page)
    clean, report = lint_notebooks.lint([page], root=tmp_path)
    assert not clean
    # cells are counted as Jupyter shows them, Markdown cells included
    assert "chapters/bad-cells.md:cell 2:1:8: F401 [*] `os` imported but unused" in report
    assert "--- chapters/bad-cells.md:cell 4" in report
    assert '+shares = {"yuan": 0.95, "rouble": 0.05}' in report

    clean, report = lint_notebooks.lint([page], root=tmp_path, fix=True)
    assert clean, report
    fixed = page.read_text(encoding="utf-8")
    assert "import os" not in fixed
    assert 'shares = {"yuan": 0.95, "rouble": 0.05}' in fixed
    assert "Some prose between the cells." in fixed


def test_notebook_check_catches_an_ipynb_and_a_missing_header(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "chapters" / "bad.md").write_text("# Bad\n\n```{code-cell} ipython3\n1\n```\n")
    (tmp_path / "chapters" / "old.ipynb").write_text("{}")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    found = "\n".join(check_notebooks.problems(tmp_path))
    assert "old.ipynb: store notebooks as MyST text" in found
    assert "bad.md: has code cells but no jupytext header" in found


def test_pages_workflow_is_valid_and_builds_with_the_readme_command():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make book" for step in steps)
    assert "make book" in (ROOT / "README.md").read_text()
    assert any(
        "deploy-pages" in step.get("uses", "") for step in workflow["jobs"]["deploy"]["steps"]
    )


def test_a_chapter_and_a_dataset_from_the_templates_build(demo_builds):
    # the demo book holds a chapter made from templates/chapter.md that reads a dataset made from
    # templates/dataset.csv and dataset.yaml (conftest.demo_builds)
    result = demo_builds.first
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert (demo_builds.site / "chapters" / f"{TEMPLATE_PAGE}.html").is_file()
