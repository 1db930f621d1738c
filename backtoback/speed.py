"""Fast on a phone: what a page need not wait for, it does not wait for.

After every HTML build (priority 650: after the page rewrites of :mod:`backtoback.sphinx_ext` and
the font of :mod:`backtoback.fonts`, before the PDF edition), this module

- defers every script in a page's head (they only add behaviour to what is already drawn; the
  inline settings that name ``DOCUMENTATION_OPTIONS`` wait for the deferred script defining it);
- drops, page by page, the scripts and stylesheets that do nothing there: sphinx-design (no
  ``sd-`` component on the page), sphinx-togglebutton (no toggle or dropdown), the copy button (no
  code block);
- moves each chart's SVG and PNG download out of the page into a file of its own under
  ``_static/charts/`` (a notebook output carries them as ``data:`` URIs, which made a trade page
  carry 140-340 KB of base64 when this was written, December 2026, fetched on every visit and
  rarely clicked); the CSV of the data stays in the page;
- serves only the icons the book shows: Font Awesome's web fonts (157 KB for the solid set) are cut
  with fontTools to the icons the pages and the theme's scripts name, and the theme stylesheet's
  rules for the ~2,000 other icons are removed (about a quarter of its 397 KB). Both are made from
  the theme package's own files on every build, so an icon a page starts to use is never missing;
- keeps, of that stylesheet, only the rules that can match something in the site: a selector
  whose classes and ids are all named in some page or script (scripts add classes as they run,
  so every word of every script counts). In December 2026 that took it from about 45 to 20 KB
  compressed: it is the largest file a page waits for before it draws.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
from pathlib import Path

FONTAWESOME = "_static/vendor/fontawesome/webfonts"
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
#: ``.fa-name:before{content:"\f123"}`` rules (one or more selectors).
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
TTF_SOURCE = re.compile(r',url\([^)]*webfonts/[^)]*\.ttf\) format\("truetype"\)')
CODEPOINT = re.compile(r'"\\([0-9a-fA-F]{4,5})"')

HEAD_SCRIPT = re.compile(
    r"<script(?P<attrs>[^>]*)\bsrc=\"(?P<src>[^\"]+)\"(?P<rest>[^>]*)></script>"
)
SETTING = re.compile(r"<script>(?P<body>DOCUMENTATION_OPTIONS\.[^<]*)</script>")
CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')


def _has_design(classes: list[set[str]], body: str) -> bool:
    return any(token.startswith("sd-") for tokens in classes for token in tokens)


def _has_toggle(classes: list[set[str]], body: str) -> bool:
    # sphinx-togglebutton's selector: ".toggle, .admonition.dropdown"
    return any("toggle" in tokens or {"admonition", "dropdown"} <= tokens for tokens in classes)


def _has_code(classes: list[set[str]], body: str) -> bool:
    return any("highlight" in tokens for tokens in classes)


#: Assets that do nothing on a page without what they serve: (file names, does the page need it).
OPTIONAL_ASSETS = [
    (r"design-tabs\.js|sphinx-design\.min\.css", _has_design),
    (r"togglebutton\.js|togglebutton\.css", _has_toggle),
    (r"clipboard\.min\.js|copybutton\.js|copybutton\.css", _has_code),
]
ASSET_TAG = r'\s*<(?:script[^>]*src|link[^>]*href)="[^"]*(?:{names})[^"]*"[^>]*>(?:</script>)?'


def theme_static() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def _defer(match: re.Match) -> str:
    attrs, rest = match.group("attrs"), match.group("rest")
    if re.search(r"\b(?:defer|async|type=\"module\")", attrs + rest):
        return match.group(0)
    return f'<script defer{attrs}src="{match.group("src")}"{rest}></script>'


def lighten_page(text: str) -> str:
    head, sep, body = text.partition("</head>")
    if not sep:
        return text
    classes = [set(value.split()) for value in CLASS_ATTR.findall(body)]
    for names, needed in OPTIONAL_ASSETS:
        if not needed(classes, body):
            head = re.sub(ASSET_TAG.format(names=names), "", head)
    head = HEAD_SCRIPT.sub(_defer, head)
    head = SETTING.sub(
        lambda m: (
            f"<script>document.addEventListener('DOMContentLoaded', () => {{ {m.group('body')} }});</script>"
        ),
        head,
    )
    return head + sep + body


CHART_FILES = "_static/charts"
#: A chart's SVG or PNG download as style.Chart writes it: the file name, then the bytes inline.
INLINE_DOWNLOAD = re.compile(
    r'download="(?P<name>[^"/]+\.(?:svg|png))" href="data:image/[a-z+]+;base64,(?P<data>[^"]+)"'
)


def downloads_as_files(text: str, page: Path, outdir: Path) -> str:
    """``text`` of ``page`` with each inline chart download written to a file and linked.

    Files are named by their content (``<name>-<digest>.<ext>``), so pages sharing a drawing
    share its file and a changed chart is never served from a stale cache.
    """
    folder = outdir / CHART_FILES
    link = os.path.relpath(folder, page.parent).replace(os.sep, "/")

    def to_file(match: re.Match) -> str:
        content = base64.b64decode(match.group("data"))
        stem, _, suffix = match.group("name").rpartition(".")
        target = f"{stem}-{hashlib.sha1(content).hexdigest()[:10]}.{suffix}"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / target).is_file():
            (folder / target).write_bytes(content)
        return f'download="{match.group("name")}" href="{link}/{target}"'

    return INLINE_DOWNLOAD.sub(to_file, text)


#: Classes Bootstrap builds from parts as it runs (``bs-popover-top``...), kept whatever the pages say.
BUILT_CLASS_PREFIXES = ("bs-", "popover", "tooltip")
#: Selector lists whose classes a match does not require all of (:not excludes, :is needs one).
_SELECTOR_LIST = re.compile(r":(?:not|is|where|has)\((?:[^()]|\([^()]*\))*\)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_CLASS_OR_ID = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
GROUPING_RULES = ("media", "supports", "layer", "container")


def site_texts(outdir: Path):
    """(suffix, text) of every page and script of the built site."""
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            yield path.suffix, path.read_text(encoding="utf-8", errors="ignore")


def names_in_site(outdir: Path) -> set[str]:
    """Every class and id in the site's pages and every word of its scripts."""
    names: set[str] = set()
    for suffix, text in site_texts(outdir):
        if suffix == ".html":
            for value in CLASS_ATTR.findall(text):
                names |= set(value.split())
            names |= set(re.findall(r'\bid="([^"]*)"', text))
        else:
            names |= set(re.findall(r"[A-Za-z_][\w-]*", text))
    return names


def _selectors(prelude: str) -> list[str]:
    """A rule's selector list split at its top-level commas (not those inside ``:is(...)``)."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [part.strip() for part in [*parts, current] if part.strip()]


def _can_match(selector: str, names: set[str]) -> bool:
    # What a selector requires: its own classes and ids, not those in attributes or :not(), :is()...
    required = _CLASS_OR_ID.findall(_ATTRIBUTE.sub("", _SELECTOR_LIST.sub("", selector)))
    return all(n in names or n.startswith(BUILT_CLASS_PREFIXES) for n in required)


def used_rules(css: str, names: set[str]) -> str:
    """``css`` without the rules no element of the site can match (at-rules other than
    @media, @supports, @layer and @container are kept whole)."""
    import tinycss2

    def keep(rules) -> list[str]:
        kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = [
                    s for s in _selectors(tinycss2.serialize(rule.prelude)) if _can_match(s, names)
                ]
                if selectors:
                    kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
            elif (
                rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES and rule.content
            ):
                inner = keep(tinycss2.parse_rule_list(rule.content, True, True))
                if inner:
                    prelude = tinycss2.serialize(rule.prelude)
                    kept.append(f"@{rule.at_keyword}{prelude}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                kept.append(tinycss2.serialize([rule]))
        return kept

    return "".join(keep(tinycss2.parse_stylesheet(css, True, True)))


def icons_used(outdir: Path) -> set[str]:
    return {icon for _, text in site_texts(outdir) for icon in ICON_CLASS.findall(text)}


def trim_icons(outdir: Path) -> dict[str, int]:
    """Cut the theme's icon CSS and fonts down to the icons the site names; return the sizes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # not one line per table cut
    used = icons_used(outdir)
    original = (theme_static() / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    kept: set[int] = set()

    def keep_if_used(match: re.Match) -> str:
        selectors = [s for s in match.group(1).split(",") if s.split(":")[0][1:] in used]
        if not selectors:
            return ""
        kept.add(int(match.group(2), 16))
        return f'{",".join(selectors)}{{content:"\\{match.group(2)}"}}'

    css = ICON_RULE.sub(keep_if_used, original)
    # Every browser that runs the theme reads WOFF2: the TrueType copies are never fetched.
    css = TTF_SOURCE.sub("", css)
    for ttf in (outdir / FONTAWESOME).glob("*.ttf"):
        ttf.unlink()
    # Icons the theme's own rules draw (admonitions, links, ...) by code point.
    kept |= {int(cp, 16) for cp in CODEPOINT.findall(ICON_RULE.sub("", original))}
    (outdir / THEME_CSS).write_text(css, encoding="utf-8")
    sizes = {THEME_CSS: len(css.encode())}
    for source in sorted((theme_static() / "vendor" / "fontawesome" / "webfonts").glob("*.woff2")):
        font = TTFont(source, recalcTimestamp=False)  # the same bytes on every build
        cmap = font.getBestCmap()
        subsetter = subset.Subsetter(subset.Options(layout_features=[], name_IDs=["*"]))
        subsetter.populate(unicodes=sorted(cp for cp in kept if cp in cmap) or [0x20])
        subsetter.subset(font)
        font.flavor = "woff2"
        target = outdir / FONTAWESOME / source.name
        font.save(target)
        sizes[f"{FONTAWESOME}/{source.name}"] = target.stat().st_size
    return sizes


def _speed_up(app, exception) -> None:
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        lighter = downloads_as_files(lighten_page(text), page, outdir)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
    theme_css = outdir / THEME_CSS
    if theme_css.is_file():
        trim_icons(outdir)
        used = used_rules(theme_css.read_text(encoding="utf-8"), names_in_site(outdir))
        theme_css.write_text(used, encoding="utf-8")


def setup(app) -> dict:
    app.connect("build-finished", _speed_up, priority=650)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
