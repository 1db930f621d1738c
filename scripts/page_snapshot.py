"""What a reader gets from built pages, as JSON: prose, figures (alt, caption, data), tables.

    .venv/bin/python scripts/page_snapshot.py _build/html > before.json      # snapshot a build
    .venv/bin/python scripts/page_snapshot.py _build/html --compare before.json

Use it around a refactoring that must not change what readers see: it compares, page by page,
the text outside code cells (so every glued value), and for every chart its alt text, caption,
source line and the CSV behind it (decoded, so the comparison is of the data, not of image bytes).
Code cells and their printed tables are compared too but reported apart: moving analysis onto
the page is expected to change the code readers see, not its results.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

TRADE_PAGES = [
    "chapters/trade/china-russia-trade.html",
    "chapters/trade/partners.html",
    "chapters/trade/eu.html",
    "chapters/trade/settlement.html",
    "chapters/trade/energy-goods.html",
    "chapters/trade/border.html",
]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def figure_record(fig) -> dict:
    image = fig.find("img") or fig.find("svg")
    alt = image.get("alt") or image.get("aria-label") if image is not None else None
    if image is not None and image.name == "svg" and not alt:
        title = image.find("title")
        alt = title.get_text() if title else None
    href = fig.select_one("a.btb-download")["href"]
    csv = base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8")
    source = fig.select_one(".btb-source")
    return {
        "data_name": fig.get("data-dataset"),
        "alt": squash(alt or ""),
        "caption": squash(fig.select_one(".btb-caption").get_text()),
        "source_line": squash(source.get_text()) if source else "",
        "csv": csv,
    }


def snapshot(site: Path, pages: list[str]) -> dict:
    out = {}
    for page in pages:
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        main = soup.find("main")
        figures = [figure_record(f) for f in main.select("figure.btb-figure")]
        cells = main.select("div.cell")
        outputs = []
        for cell in cells:
            for out_div in cell.select("div.cell_output"):
                if not out_div.select("figure.btb-figure"):
                    outputs.append(squash(out_div.get_text(" ")))
        code = [squash(c.get_text()) for c in main.select("div.cell_input")]
        for cell in cells:
            cell.decompose()
        for nav in main.select(".prev-next-area, .bd-toc, nav"):
            nav.decompose()  # links to the neighbouring pages depend on the table of contents
        out[page] = {
            "prose": squash(main.get_text("")),  # glued values are inline spans: no extra spaces
            "figures": figures,
            "table_outputs": outputs,
            "code": code,
        }
    return out


def compare(before: dict, after: dict) -> list[str]:
    """Differences a reader would see (figures, prose); code and table changes as notes."""
    problems = []
    for page, old in before.items():
        new = after.get(page)
        if new is None:
            problems.append(f"{page}: missing")
            continue
        if old["prose"] != new["prose"]:
            a, b = old["prose"], new["prose"]
            i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            problems.append(
                f"{page}: prose differs at {i}: {a[i - 60 : i + 80]!r} -> {b[i - 60 : i + 80]!r}"
            )
        if len(old["figures"]) != len(new["figures"]):
            problems.append(f"{page}: {len(old['figures'])} figures -> {len(new['figures'])}")
        for f_old, f_new in zip(old["figures"], new["figures"], strict=False):
            for key in f_old:
                if f_old[key] != f_new[key]:
                    problems.append(
                        f"{page}: figure {f_old['data_name']}: {key} differs:\n"
                        f"  before {f_old[key][:300]!r}\n  after  {f_new[key][:300]!r}"
                    )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built _build/html folder")
    parser.add_argument("--compare", type=Path, help="a snapshot JSON to compare the site against")
    parser.add_argument("--pages", nargs="*", default=TRADE_PAGES)
    args = parser.parse_args()
    now = snapshot(args.site, args.pages)
    if not args.compare:
        json.dump(now, sys.stdout, indent=1, ensure_ascii=False)
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    problems = compare({p: before[p] for p in args.pages if p in before}, now)
    figures = sum(len(v["figures"]) for v in now.values())
    for page, old in before.items():
        if page in now and old["table_outputs"] != now[page]["table_outputs"]:
            print(f"note: {page}: printed tables changed (code-cell outputs)")
    print(
        "\n".join(problems)
        or f"same prose, and same alt, caption, source and data for {figures} charts"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
