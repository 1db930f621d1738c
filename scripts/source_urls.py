"""Print every source URL the book rests on, one per line: the weekly link check reads this list.

    python scripts/source_urls.py > urls.txt

The URLs are the ``url`` (and ``doi``) fields of references.bib and the ``source_url`` column of
every CSV in data/ (cells holding a URL). Standard library only, so the workflow
(.github/workflows/links.yml) needs nothing installed.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = ROOT / "references.bib"
DATA = ROOT / "data"
URL_COLUMN = "source_url"

#: A bib field ``url = {...}`` or ``doi = {...}`` (URLs and DOIs hold no braces).
BIB_FIELD = re.compile(r"\b(url|doi)\s*=\s*\{([^{}]*)\}", re.IGNORECASE)
URL = re.compile(r"https?://\S+")


def bibliography_urls(bib: Path = BIBLIOGRAPHY) -> list[str]:
    urls = []
    for field, value in BIB_FIELD.findall(bib.read_text(encoding="utf-8")):
        value = value.strip()
        urls.append(f"https://doi.org/{value}" if field.lower() == "doi" else value)
    return urls


def data_urls(folder: Path = DATA) -> list[str]:
    urls = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                cell = (row.get(URL_COLUMN) or "").strip()
                if URL.fullmatch(cell):
                    urls.append(cell)
    return urls


def source_urls() -> list[str]:
    """Every distinct source URL, in a stable (sorted) order."""
    return sorted(set(bibliography_urls()) | set(data_urls()))


if __name__ == "__main__":
    sys.stdout.write("".join(f"{url}\n" for url in source_urls()))
