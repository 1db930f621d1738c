"""Run a trade page's code cells as plain Python, without a book build, to get its facts object.

``run_page("partners")`` executes every code cell of ``chapters/trade/partners.md`` in order (the
hidden facts cells with their checks of the typed words included) and returns the page's
variables, so a test reads ``page["facts"]`` exactly as the page computed it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jupytext
import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
TRADE = ROOT / "chapters" / "trade"


def run_page(name: str) -> dict:
    """The variables of chapters/trade/<name>.md after running all its code cells."""
    import matplotlib.pyplot as plt

    path = TRADE / f"{name}.md"
    namespace: dict = {"__name__": f"page_{name.replace('-', '_')}"}
    for number, cell in enumerate(jupytext.read(path).cells):
        if cell.cell_type == "code":
            exec(compile(cell.source, f"{path.name} (code cell {number})", "exec"), namespace)
    plt.close("all")
    return namespace


@functools.cache
def page_once(name: str) -> dict:
    """:func:`run_page` on the committed data, once per test session."""
    return run_page(name)


@pytest.fixture
def no_glue(monkeypatch):
    """Glue nothing: for runs of a page on changed data, where only its checks matter."""
    from backtoback import prose

    monkeypatch.setattr(prose, "glue", lambda name, value: value)
