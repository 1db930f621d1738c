"""A Chinese font served by the book, cut down to exactly the characters the book uses.

A reader's computer may have no Chinese font (this machine has none): Chinese passages would then
render as empty boxes, in the browser and in the PDF edition. So after every HTML build this module

1. collects the characters the built pages use in Chinese and Japanese passages (elements with a
   ``lang="zh…"`` or ``lang="ja"`` attribute) and every CJK character anywhere else in them,
2. cuts Noto Sans CJK SC (SIL Open Font License 1.1; the variable font, so bold works too), shipped
   by the pinned ``manimgx-fonts-cjk`` package, down to each page's characters with fontTools, as
   WOFF2, into ``_static/fonts/`` (cached in ``_build/.backtoback-fonts``: a build that adds no
   character cuts nothing). One font per page, because a phone on a slow line waits for it: in
   December 2026 the visit page needed 54 characters (15 KB), not the book's 618 (160 KB); and
3. adds a small ``<style>`` to the pages that have CJK text only: ``:lang(zh)`` and ``:lang(ja)``
   text is set in the font, and CJK characters outside such an element (a bibliography entry)
   fall back to it. Other pages never load it. ``font-display: swap`` shows the text at once in a
   fallback font while the font loads. Each page's ``@font-face`` names exactly its characters as
   its ``unicode-range``, so where the PDF edition puts every page into one document, each
   character is drawn from a face that has it, whichever of the pages' faces the browser picks.

The font is Noto's Simplified-Chinese design; its regional glyph forms (the OpenType ``locl``
feature) are left out, which halves the file: Traditional-Chinese and Japanese passages show the same
characters in the Simplified design.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import shutil
from html.parser import HTMLParser
from importlib.metadata import files as package_files
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

FONT_PACKAGE = "manimgx-fonts-cjk"
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
FONT_FAMILY_IN_FILE = "Noto Sans CJK SC"
#: The name pages use for the cut-down font (not the original's: it has only the book's glyphs).
FAMILY = "Back to Back CJK"
FONT_DIR = "_static/fonts"
LICENCE_NAME = "NotoSansCJK-LICENSE.txt"
#: Changes with the way the font is cut, so that a cached cut is not reused after such a change.
RECIPE = "variable, no locl"

#: CJK characters: radicals, symbols and punctuation, kana, Bopomofo, unified ideographs
#: (with extension A), compatibility ideographs, and full-width forms.
CJK = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)
FONT_LANGS = ("zh", "ja")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _LangText(HTMLParser):
    """Collects the text of elements whose ``lang`` (inherited) is one the font is for."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = [("", "")]
        self.chars: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang") or self.stack[-1][1]))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if self.stack[-1][1].split("-")[0] in FONT_LANGS:
            self.chars.update(data)


def pages_of(outdir: Path) -> list[Path]:
    return [
        p for p in sorted(outdir.rglob("*.html")) if "_static" not in p.relative_to(outdir).parts
    ]


def characters_in(text: str) -> set[str]:
    """The characters the font must have for one page: its CJK characters anywhere, and every
    character of its Chinese and Japanese passages (their digits and Latin letters too)."""
    parser = _LangText()
    parser.feed(text)
    parser.close()
    chars = set(CJK.findall(html.unescape(text))) | parser.chars
    return {c for c in chars if not c.isspace() and c.isprintable()}


def font_source() -> Path:
    return Path(str(files("manimgx_fonts_cjk") / FONT_FILE))


def cut_font(chars: set[str], target: Path) -> None:
    """Write the font with just ``chars`` (and what its layout features need) to ``target``."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # not one line per table cut
    collection = TTCollection(str(font_source()), lazy=True)
    names = [face["name"].getDebugName(1) for face in collection.fonts]
    font = TTFont(
        str(font_source()), fontNumber=names.index(FONT_FAMILY_IN_FILE), recalcTimestamp=False
    )
    options = subset.Options()
    # Regional glyph forms (locl) would double the file for a difference of style, not of
    # character: Traditional-Chinese and Japanese passages are set in the Simplified design.
    options.layout_features = [f for f in options.layout_features if f != "locl"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))


FONT_STYLE = re.compile(r'<style id="backtoback-cjk-font[^"]*">.*?</style>', re.S)


def unicode_range(chars: set[str]) -> str:
    """``chars`` as a CSS ``unicode-range``, runs of consecutive code points joined."""
    points = sorted(ord(c) for c in chars)
    runs: list[list[int]] = []
    for point in points:
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def font_css(url: str, key: str, chars: set[str]) -> str:
    return (
        f'<style id="backtoback-cjk-font-{key}">@font-face{{font-family:"{FAMILY}";'
        f'src:url("{url}") format("woff2");font-weight:100 900;font-display:swap;'
        f"unicode-range:{unicode_range(chars)}}}"
        f':lang(zh),:lang(ja){{font-family:"{FAMILY}",var(--pst-font-family-base)}}'
        f':root{{--pst-font-family-base:var(--pst-font-family-base-system),"{FAMILY}"}}</style>'
    )


def font_key(chars: set[str]) -> str:
    """Names the cut of ``chars``: changes with the characters, the font package and the recipe."""
    return hashlib.sha256(
        f"{FONT_PACKAGE} {version(FONT_PACKAGE)} {RECIPE} {''.join(sorted(chars))}".encode()
    ).hexdigest()[:16]


def serve_cjk_font(outdir: Path, cache: Path) -> list[Path]:
    """Cut a font for each page of the built site in ``outdir`` that has CJK text and link it.

    Returns the fonts' paths in the site (none when no page has CJK text).
    """
    texts = {page: page.read_text(encoding="utf-8") for page in pages_of(outdir)}
    needed = {page: chars for page, text in texts.items() if (chars := characters_in(text))}
    folder = outdir / FONT_DIR
    served: dict[str, Path] = {}
    for page, chars in needed.items():
        key = font_key(chars)
        name = f"cjk-{key}.woff2"
        if key not in served:
            cached = cache / name
            if not cached.is_file():
                cut_font(chars, cached)
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, folder / name)
            served[key] = folder / name
        url = "../" * (len(page.relative_to(outdir).parts) - 1) + f"{FONT_DIR}/{name}"
        style = font_css(url, key, chars)
        text = texts[page]
        if FONT_STYLE.search(text):
            rewritten = FONT_STYLE.sub(lambda _, style=style: style, text)
        else:
            rewritten = text.replace("</head>", style + "\n</head>", 1)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")
    for old in folder.glob("cjk-*.woff2"):
        if old not in served.values():
            old.unlink()  # a cut no page links any more
    if served:
        for licence in package_files(FONT_PACKAGE) or []:
            if licence.name == "LICENSE":
                shutil.copyfile(licence.locate(), folder / LICENCE_NAME)
    return sorted(served.values())


def _serve_font(app, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    serve_cjk_font(outdir, outdir.parent / ".backtoback-fonts")


def setup(app) -> dict:
    # After backtoback.sphinx_ext's own page rewrites (priority 500), before the PDF edition.
    app.connect("build-finished", _serve_font, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
