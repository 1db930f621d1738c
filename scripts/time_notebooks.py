"""Execute every notebook in the book once, outside Sphinx, and time it.

    .venv/bin/python scripts/time_notebooks.py            # print the timings
    .venv/bin/python scripts/time_notebooks.py --write    # also write data/notebook_timings.csv

The instructor page shows the written file, so its timings are measured, never typed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import sys
import time
from pathlib import Path

import jupytext
import nbclient
import pandas as pd

from backtoback.teaching import toc_pages

ROOT = Path(__file__).resolve().parent.parent
TIMINGS = ROOT / "data" / "notebook_timings.csv"


def notebooks() -> list[Path]:
    """The pages that are notebooks (they carry a kernelspec)."""
    pages = [ROOT / f"{page}.md" for page in toc_pages()]
    return [p for p in pages if p.exists() and "kernelspec:" in p.read_text(encoding="utf-8")[:600]]


def execute(path: Path) -> tuple[float, object]:
    """Run one text notebook top to bottom in a fresh kernel; return (seconds, executed notebook)."""
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start, notebook


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="write data/notebook_timings.csv")
    args = parser.parse_args()
    # Rows are written after each notebook, so a page that shows the timings (the instructor page)
    # finds the others' figures when its own turn comes; its own row is from the previous run.
    rows = {}
    if args.write and TIMINGS.exists():
        rows = {r["notebook"]: r for r in pd.read_csv(TIMINGS).to_dict("records")}
    pages = [str(path.relative_to(ROOT).with_suffix("")) for path in notebooks()]
    rows = {page: rows[page] for page in pages if page in rows}  # forget removed pages
    for path, page in zip(notebooks(), pages, strict=True):
        seconds, _ = execute(path)
        print(f"{seconds:6.2f} s  {page}")
        rows[page] = {
            "notebook": page,
            "seconds": round(seconds, 2),
            "unit": "seconds",
            "value_type": "computed",
            "measured_on": dt.date.today().isoformat(),
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
            "source_title": "Measured by scripts/time_notebooks.py (fresh kernel, top to bottom)",
            "source_url": "scripts/time_notebooks.py",
        }
        if args.write:
            ordered = [rows[p] for p in pages if p in rows]
            pd.DataFrame(ordered).to_csv(TIMINGS, index=False, lineterminator="\n")
    print(f"{sum(r['seconds'] for r in rows.values()):6.2f} s  all notebooks")
    if args.write:
        print(f"wrote {TIMINGS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
