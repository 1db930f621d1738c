"""The PDF edition: the whole book as one PDF, and one PDF per page, printed by headless Chromium.

After every HTML build (Sphinx's ``build-finished``), this module

1. serves the built site on 127.0.0.1 and opens its first page in Chromium (the browser the tests
   drive), then puts the article of every page of the book, in table-of-contents order, into that
   one document: links between pages become links inside the PDF, ids are prefixed by page so
   they stay unique, each page starts on a new sheet;
2. prints it with the book's print stylesheet (every view of every switch, every table; the
   served Chinese font of :mod:`backtoback.fonts`; charts at their full resolution), with the page
   number in each sheet's footer (Chromium's ``footerTemplate``) and a PDF outline of the headings;
3. prints a title page with the table of contents (the page each chapter starts on, read from
   the outline) and joins the two with pypdf into ``pdf/back-to-back.pdf``;
4. cuts the body into one PDF per book page, ``pdf/<page>.pdf`` (keeping the book's page numbers,
   so a citation "p. 37" is the same in both), and
5. zips the built site, for reading offline, into ``back-to-back-site.zip``.

The pages link to these files from the theme's download menu (see :func:`_download_links`).
Printing runs in a separate process (``python -m backtoback.pdf``) so that the browser's event loop
never meets Sphinx's. A build in which no page changed prints nothing: the editions are keyed on a
digest of the built pages.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from .browser import chromium_missing, launch_chromium

PDF_DIR = "pdf"
BOOK_PDF = "back-to-back.pdf"
SITE_ZIP = "back-to-back-site.zip"
#: What the offline copy leaves out: the per-page PDFs (the whole-book PDF is in it) and itself.
ZIP_SKIP = re.compile(rf"^(?:{PDF_DIR}/(?!{re.escape(BOOK_PDF)}$).*|{re.escape(SITE_ZIP)})$")
STAMP = ".backtoback-editions"
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
FOOTER = (
    '<div style="width:100%;font:8px sans-serif;color:#555;padding:0 16mm;display:flex;'
    'justify-content:space-between"><span>{title}</span><span class="pageNumber"></span></div>'
)


def page_pdf_name(docname: str) -> str:
    return f"{PDF_DIR}/{docname}.pdf"


# --- In Sphinx ------------------------------------------------------------------------------


def book_pages(app) -> list[dict]:
    """Every page of the book in reading order: docname, title and depth in the table of contents."""
    env = app.env
    pages: list[dict] = []

    def walk(docname: str, depth: int) -> None:
        title = env.titles[docname].astext() if docname in env.titles else docname
        pages.append({"docname": docname, "title": title, "depth": depth})
        for child in env.toctree_includes.get(docname, []):
            walk(child, depth + 1)

    walk(app.config.root_doc, 0)
    return pages


def _download_links(app, pagename, templatename, context, doctree) -> None:
    """The download menu offers this page and the whole book as PDF (instead of the browser's
    print dialog), and the whole site as a zip for reading offline."""
    if app.builder.format != "html":
        return
    pathto = context["pathto"]
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        group["tooltip"] = "Download this page or the whole book"
        buttons = [b for b in group["buttons"] if b.get("label") != "download-pdf-button"]
        buttons += [
            {
                "type": "link",
                "url": pathto(page_pdf_name(pagename), 1),
                "text": "This page (PDF)",
                "tooltip": "This page as a PDF",
                "icon": "fas fa-file-pdf",
                "label": "download-page-pdf-button",
            },
            {
                "type": "link",
                "url": pathto(f"{PDF_DIR}/{BOOK_PDF}", 1),
                "text": "The whole book (PDF)",
                "tooltip": "The whole book as one PDF, with contents and page numbers",
                "icon": "fas fa-file-pdf",
                "label": "download-book-pdf-button",
            },
            {
                "type": "link",
                "url": pathto(SITE_ZIP, 1),
                "text": "The site, offline (zip)",
                "tooltip": "The whole site as a zip, to read without a connection",
                "icon": "fas fa-file-zipper",
                "label": "download-site-zip-button",
            },
        ]
        group["buttons"] = buttons


def site_digest(outdir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(outdir.rglob("*")):
        rel = path.relative_to(outdir).as_posix()
        if path.is_file() and not ZIP_SKIP.match(rel) and not rel.startswith(f"{PDF_DIR}/"):
            digest.update(rel.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _make_editions(app, exception) -> None:
    from sphinx.util import logging

    if exception or app.builder.format != "html":
        return
    logger = logging.getLogger(__name__)
    outdir = Path(app.outdir)
    spec = {
        "outdir": str(outdir),
        # The book's title (_config.yml's ``title``): Jupyter Book sets it as ``html_title`` and
        # leaves Sphinx's ``project`` at its default, "Project name not set".
        "title": app.config.html_title or app.config.project,
        "author": app.config.author,
        "site_url": app.config.html_baseurl,
        "edition": f"PDF edition of the web book, printed {datetime.date.today():%-d %B %Y}",
        "pages": book_pages(app),
    }
    stamp = outdir.parent / STAMP
    digest = site_digest(outdir) + json.dumps({**spec, "edition": ""}, sort_keys=True)
    digest = hashlib.sha256(digest.encode()).hexdigest()
    if (
        stamp.is_file()
        and stamp.read_text() == digest
        and (outdir / PDF_DIR / BOOK_PDF).is_file()
        and (outdir / SITE_ZIP).is_file()
    ):
        logger.info("PDF edition and offline zip: up to date")
        return
    if missing := chromium_missing():
        logger.warning(
            f"the PDF edition is not made: {missing}",
            type="backtoback",
            subtype="pdf",
        )
        return
    start = time.perf_counter()
    spec_file = outdir.parent / ".backtoback-editions.json"
    spec_file.write_text(json.dumps(spec))
    result = subprocess.run(
        [sys.executable, "-m", "backtoback.pdf", str(spec_file)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        logger.warning(
            f"the PDF edition failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            type="backtoback",
            subtype="pdf",
        )
        return
    pdf_seconds = time.perf_counter() - start
    zip_start = time.perf_counter()
    zip_site(outdir)
    stamp.write_text(digest)
    logger.info(
        f"PDF edition: {result.stdout.strip()} in {pdf_seconds:.1f} s; "
        f"offline zip in {time.perf_counter() - zip_start:.1f} s"
    )


def zip_site(outdir: Path) -> Path:
    target = outdir / SITE_ZIP
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(outdir.rglob("*")):
            rel = path.relative_to(outdir).as_posix()
            if path.is_file() and not ZIP_SKIP.match(rel) and not rel.endswith(".zip.part"):
                archive.write(path, f"back-to-back/{rel}")
    partial.replace(target)
    return target


def setup(app) -> dict:
    # After the theme builds its download menu (priority 501).
    app.connect("html-page-context", _download_links, priority=550)
    # Last: after the page rewrites and the font (backtoback.fonts, priority 600).
    app.connect("build-finished", _make_editions, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --- In the printing process ----------------------------------------------------------------

#: Runs in the first page: replaces its article with the articles of all pages, in order.
ASSEMBLE = r"""
async ({pages, siteUrl}) => {
  const slug = (docname) => "pdf-" + docname.replace(/[^A-Za-z0-9]+/g, "-");
  const pageUrls = new Map(pages.map((p) => [new URL(p.docname + ".html", location.href).pathname, p]));
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  const article = document.querySelector("article.bd-article");
  article.replaceChildren();
  const idrefs = ["for", "headers", "list", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns"];
  for (const p of pages) {
    const url = new URL(p.docname + ".html", root).href;
    const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
    // Styles a page has and the first does not (the Chinese font's).
    for (const el of doc.head.querySelectorAll('link[rel="stylesheet"], style')) {
      if (el.tagName === "LINK") {
        const href = new URL(el.getAttribute("href"), url).href;
        if ([...document.styleSheets].some((s) => s.href === href)) continue;
        const link = document.createElement("link");
        link.rel = "stylesheet"; link.href = href;
        document.head.append(link);
      } else if (!el.id || !document.getElementById(el.id)) {
        const style = document.createElement("style");
        style.textContent = el.textContent.replace(/url\("?([^")]+)"?\)/g,
          (m, u) => `url("${new URL(u, url).href}")`);
        if (el.id) style.id = el.id;
        document.head.append(style);
      }
    }
    const body = doc.querySelector("article.bd-article");
    const prefix = slug(p.docname);
    const ids = new Set([...body.querySelectorAll("[id]")].map((el) => el.id));
    const own = (id) => (ids.has(id) ? `${prefix}--${id}` : id);
    for (const el of body.querySelectorAll("*")) {
      if (el.id) el.id = own(el.id);
      for (const name of idrefs) {
        if (el.hasAttribute(name)) el.setAttribute(name, el.getAttribute(name).split(/\s+/).map(own).join(" "));
      }
      if (el.type === "radio" && el.name) el.name = `${prefix}--${el.name}`;
      for (const attr of [...el.attributes]) {
        if (attr.value.includes("url(#")) attr.value = attr.value.replace(/url\(#([^)]+)\)/g, (m, id) => `url(#${own(id)})`);
      }
      for (const name of ["src", "href", "xlink:href"]) {
        const value = el.getAttribute(name);
        if (value === null || value.startsWith("data:")) continue;
        if (value.startsWith("#")) { el.setAttribute(name, "#" + own(value.slice(1))); continue; }
        const target = new URL(value, url);
        const linked = pageUrls.get(target.pathname);
        if (name !== "src" && linked && target.origin === location.origin) {
          const anchor = target.hash ? `${slug(linked.docname)}--${decodeURIComponent(target.hash.slice(1))}` : slug(linked.docname);
          el.setAttribute(name, "#" + anchor);
        } else {
          el.setAttribute(name, target.href);
        }
      }
    }
    const section = document.createElement("section");
    section.className = "btb-pdf-page";
    section.id = prefix;
    section.append(...body.childNodes);
    article.append(section);
  }
  // Links to files of the site (data, notebooks) would point at this local server: they point at
  // the published site when its address is known, or else keep only their text.
  for (const a of article.querySelectorAll("a[href]")) {
    const target = new URL(a.href);
    if (target.origin !== location.origin || a.getAttribute("href").startsWith("#")) continue;
    if (siteUrl) a.href = new URL(target.pathname.slice(root.pathname.length) + target.hash, siteUrl).href;
    else a.replaceWith(...a.childNodes);
  }
  const style = document.createElement("style");
  style.textContent = `
    .btb-pdf-page + .btb-pdf-page { break-before: page; }
    /* The theme prints each page's title and contents list above its article, and hides the
       article's own title: the book has one title per page, in its article. */
    .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
    #jb-print-docs-body, .bd-header-article, .prev-next-footer, .bd-footer, .bd-footer-content, .headerlink,
    button.copybtn, .bd-sidebar-primary, .bd-sidebar-secondary { display: none !important; }
    .bd-main .bd-content .bd-article-container { max-width: none; }
    h1, h2, h3, h4 { break-after: avoid; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; }
    img { break-inside: avoid; }
    table { break-inside: auto; } tr, figure { break-inside: avoid; }
    /* Data tables scroll sideways on screen; on paper they fit the width, in smaller type. */
    .cell_output, div.output, .pst-scrollable-table-container, .table-wrapper { overflow: visible !important; }
    .cell_output table { font-size: 7.5pt; width: 100%; margin: 0; }
    .cell_output table td, .cell_output table th { padding: 1px 3px; }`;
  document.head.append(style);
  await document.fonts.ready;
  // Lazy images off screen would never load, and print blank.
  for (const img of document.images) img.loading = "eager";
  const loaded = Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  await Promise.race([loaded, new Promise((done) => setTimeout(done, 60000))]);
  return article.querySelectorAll(".btb-pdf-page").length;
}
"""

TITLE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
 body {{ font-family: sans-serif; color: #222; margin: 0; }}
 .cover {{ height: 230mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }}
 .cover h1 {{ font-size: 42pt; margin: 0 0 6mm; }}
 .cover p {{ font-size: 13pt; margin: 0 0 3mm; color: #444; }}
 h2 {{ font-size: 18pt; margin: 0 0 6mm; }}
 ol {{ list-style: none; padding: 0; margin: 0; font-size: 11pt; }}
 li {{ display: flex; margin: 0 0 2.2mm; }}
 li a {{ color: inherit; text-decoration: none; }}
 li .fill {{ flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm 1.2mm; }}
 li.depth-2 {{ padding-left: 8mm; font-size: 10pt; }}
</style></head><body>
<div class="cover"><h1>{title}</h1><p>{subtitle}</p><p>{edition}</p></div>
<h2>Contents</h2><ol>{entries}</ol></body></html>"""


def _serve(site: Path):
    from http.server import SimpleHTTPRequestHandler

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    httpd.handle_error = lambda request, address: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def chapter_starts(reader, count: int) -> list[int]:
    """The page index each book page starts on, from the top level of Chromium's outline."""
    top = [item for item in reader.outline if not isinstance(item, list)]
    if len(top) != count:
        raise RuntimeError(
            f"expected one top-level heading per book page ({count}), the outline has {len(top)}"
        )
    return [reader.get_destination_page_number(item) for item in top]


def print_editions(spec: dict) -> str:
    import html

    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    outdir = Path(spec["outdir"])
    pages = spec["pages"]
    target_dir = outdir / PDF_DIR
    work = outdir.parent / ".backtoback-pdf"
    work.mkdir(parents=True, exist_ok=True)
    body_file, front_file = work / "body.pdf", work / "front.pdf"
    httpd = _serve(outdir)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    footer = FOOTER.format(title=html.escape(spec["title"]))
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            context = browser.new_context(color_scheme="light")
            # The book is self-contained: nothing outside the local server is fetched.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith((base, "data:"))
                    else route.abort()
                ),
            )
            page = context.new_page()
            page.goto(f"{base}/{pages[0]['docname']}.html")
            page.evaluate(
                "document.documentElement.dataset.theme = 'light'; document.documentElement.dataset.mode = 'light'"
            )
            assembled = page.evaluate(
                ASSEMBLE, {"pages": pages, "siteUrl": spec.get("site_url") or None}
            )
            assert assembled == len(pages), (assembled, len(pages))
            page.emulate_media(media="print")
            page.pdf(
                path=str(body_file),
                format="A4",
                margin=MARGIN,
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                outline=True,
                tagged=True,
            )
            body = PdfReader(body_file)
            starts = chapter_starts(body, len(pages))
            entries = "".join(
                f'<li class="depth-{min(entry["depth"], 2)}"><span>{html.escape(entry["title"])}</span>'
                f'<span class="fill"></span><span>{start + 1}</span></li>'
                for entry, start in zip(pages, starts, strict=True)
            )
            front = context.new_page()
            front.set_content(
                TITLE_PAGE.format(
                    title=html.escape(spec["title"]),
                    subtitle=html.escape(
                        pages[0]["title"]
                        if pages[0]["title"] != spec["title"]
                        else spec.get("author") or ""
                    ),
                    edition=html.escape(
                        spec.get("edition", "PDF edition, printed from the web book")
                    ),
                    entries=entries,
                )
            )
            front.pdf(path=str(front_file), format="A4", margin=MARGIN, tagged=True)
            browser.close()
    finally:
        httpd.shutdown()

    front = PdfReader(front_file)
    if target_dir.exists():
        shutil.rmtree(target_dir)
    target_dir.mkdir(parents=True)
    book = PdfWriter()
    book.append(front, import_outline=False)
    book.append(body, import_outline=False)
    # The outline: contents, then every page of the book, nested as in the table of contents.
    book.add_outline_item(title="Contents", page_number=1 if len(front.pages) > 1 else 0)
    parents: dict[int, object] = {}
    for entry, start in zip(pages, starts, strict=True):
        depth = max(entry["depth"], 1)  # the landing page and the chapters at the top level
        parent = parents.get(depth - 1) if depth > 1 else None
        parents[depth] = book.add_outline_item(
            title=entry["title"], page_number=len(front.pages) + start, parent=parent
        )
    book.add_metadata({"/Title": spec["title"], "/Author": spec.get("author", "")})
    with open(target_dir / BOOK_PDF, "wb") as handle:
        book.write(handle)
    ends = [*starts[1:], len(body.pages)]
    for entry, start, end in zip(pages, starts, ends, strict=True):
        chapter = PdfWriter()
        chapter.append(body, pages=(start, max(end, start + 1)), import_outline=False)
        chapter.add_outline_item(title=entry["title"], page_number=0)
        chapter.add_metadata({"/Title": f"{entry['title']} — {spec['title']}"})
        path = outdir / page_pdf_name(entry["docname"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            chapter.write(handle)
    return f"{len(front.pages) + len(body.pages)} pages, {len(pages)} page PDFs"


if __name__ == "__main__":
    print(print_editions(json.loads(Path(sys.argv[1]).read_text())))
