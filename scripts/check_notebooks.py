"""Check that notebooks are stored as MyST text notebooks (reviewable diffs), never as .ipynb JSON.

    .venv/bin/python scripts/check_notebooks.py     # exit 1 and a list of problems if any

Run by the pre-commit hook and by the test suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("chapters", "templates")


def front_matter(text: str) -> dict | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    return yaml.safe_load(text[4:end]) if end > 0 else None


def problems(root: Path = ROOT) -> list[str]:
    found = []
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    for name in tracked:
        if name.endswith(".ipynb"):
            found.append(f"{name}: store notebooks as MyST text (jupytext --to myst), not .ipynb")
    for folder in PAGES:
        for page in sorted((root / folder).rglob("*.md")):
            text = page.read_text(encoding="utf-8")
            if "```{code-cell}" not in text:
                continue
            meta = front_matter(text) or {}
            jt = (meta.get("jupytext") or {}).get("text_representation") or {}
            where = page.relative_to(root)
            if jt.get("format_name") != "myst":
                found.append(
                    f"{where}: has code cells but no jupytext header with format_name: myst"
                )
            if (meta.get("kernelspec") or {}).get("name") != "python3":
                found.append(f"{where}: kernelspec must name the python3 kernel")
            if "\noutputs:" in text or '"outputs":' in text:
                found.append(f"{where}: contains stored outputs; text notebooks hold sources only")
    return found


if __name__ == "__main__":
    issues = problems()
    for issue in issues:
        print(issue)
    sys.exit(1 if issues else 0)
