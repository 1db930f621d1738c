"""A book people can cite, date and find: licence, citation, page dates, corrections, page metadata,
repository buttons, and the weekly check of the sources' links."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import subprocess
import sys

import jsonschema
import pandas as pd
import pybtex.database
import pytest
import yaml
from bs4 import BeautifulSoup

from backtoback import corrections, data, prose, site_meta, speed
from backtoback.teaching import toc_pages

from .conftest import EXAMPLE_REPOSITORY, ROOT, build_book, mini_book

sys.path.insert(0, str(ROOT / "scripts"))
import source_urls  # noqa: E402

CFF_SCHEMA = ROOT / "tests" / "fixtures" / "cff-1.2.0.schema.json"
LAST_UPDATED = re.compile(r"Last updated on (\d{1,2} [A-Z][a-z]+ \d{4})")


def cff_errors(cff: dict) -> list[str]:
    """What the Citation File Format 1.2.0 schema finds wrong with ``cff`` (empty if valid)."""
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(cff)]


def load_cff(text: str) -> dict:
    # YAML reads an unquoted date as a date; CFF (JSON) has dates as strings.
    cff = yaml.safe_load(text)
    return json.loads(json.dumps(cff, default=lambda value: value.isoformat()))


def soup(site, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


# -- Licence and citation ------------------------------------------------------------------------


def test_citation_file_validates_against_the_cff_schema():
    cff = load_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff_errors(cff) == []
    assert cff["title"] == "Back to Back"


def test_the_cff_check_rejects_a_citation_without_authors():
    cff = load_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    del cff["authors"]
    cff["license"] = "Not-A-Licence"
    errors = cff_errors(cff)
    assert any("authors" in e for e in errors) and len(errors) >= 2, errors


def test_licence_file_names_both_licences_and_the_catalogue():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text and "CC BY 4.0" in text and "data/catalog.yaml" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = {text = "MIT"}' in pyproject


def test_citation_in_apa_and_bibtex_carries_version_date_and_address():
    citation = site_meta.Citation(
        title="Back to Back",
        authors=["The Back to Back authors"],
        version="v1.2-3-gabc1234",
        date=dt.date(2026, 12, 1),
        url="https://example-org.github.io/back-to-back/",
    )
    assert citation.apa() == (
        "The Back to Back authors. (2026, December 1). *Back to Back* (Version v1.2-3-gabc1234) "
        "[Online book]. https://example-org.github.io/back-to-back/"
    )
    entry = pybtex.database.parse_string(citation.bibtex(), "bibtex").entries["backtoback2026"]
    assert entry.fields["version"] == "v1.2-3-gabc1234"
    assert entry.fields["date"] == "2026-12-01"
    assert entry.fields["url"] == "https://example-org.github.io/back-to-back/"
    assert str(entry.persons["author"][0]) == "{The Back to Back authors}"


def git(repo, *args, date="2025-03-04T10:00:00+00:00"):
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def test_history_dates_each_file_by_its_last_commit_and_versions_by_tag_or_commit(tmp_path):
    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "b.md").write_text("# B\n")
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "first", date="2025-03-04T10:00:00+00:00")
    (tmp_path / "b.md").write_text("# B, corrected\n")
    git(tmp_path, "commit", "--quiet", "-am", "second", date="2025-06-07T10:00:00+00:00")
    history = site_meta.read_history(tmp_path)
    assert history.from_git
    assert history.version == git(tmp_path, "rev-parse", "--short", "HEAD")
    assert history.date == dt.date(2025, 6, 7)
    assert history.page_date(tmp_path, "a.md") == (dt.date(2025, 3, 4), "")
    assert history.page_date(tmp_path, "b.md") == (dt.date(2025, 6, 7), "")

    git(tmp_path, "tag", "v1.0")
    assert site_meta.read_history(tmp_path).version == "v1.0"
    (tmp_path / "a.md").write_text("# A, being edited\n")
    edited = site_meta.read_history(tmp_path)
    assert edited.version == "v1.0-dirty"
    assert edited.page_date(tmp_path, "a.md")[1] == "changes not yet committed"


def test_without_git_the_version_is_the_package_version_and_dates_say_so(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.9.1"\n')
    (tmp_path / "a.md").write_text("# A\n")
    history = site_meta.read_history(tmp_path, today=dt.date(2026, 12, 1))
    assert (history.from_git, history.version, history.date) == (
        False,
        "0.9.1",
        dt.date(2026, 12, 1),
    )
    day, note = history.page_date(tmp_path, "a.md")
    assert day == dt.datetime.now(dt.UTC).date() and "no git history" in note


# -- Corrections ---------------------------------------------------------------------------------


def test_every_correction_names_a_page_of_the_book_and_lists_newest_first():
    rows = data.load("corrections")
    assert len(rows) >= 3
    assert set(rows["page"]) <= set(toc_pages())
    html = corrections.html(rows)
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates == sorted(rows["date"], reverse=True)
    assert 'href="trade/eu.html">The EU falls away</a>' in html


def test_a_correction_for_a_page_that_does_not_exist_is_refused():
    rows = pd.DataFrame(
        [
            {
                "date": "2026-12-01",
                "page": "chapters/trade/nowhere",
                "was": "x",
                "now": "y",
                "source_title": "z",
                "source_url": "https://example.org/",
            }
        ]
    )
    with pytest.raises(ValueError, match="chapters/trade/nowhere"):
        corrections.html(rows)


# -- The weekly link check -----------------------------------------------------------------------


def test_link_check_workflow_is_weekly_non_blocking_and_checks_the_sources():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "links.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, day_of_month, month, day_of_week = cron.split()
    assert (day_of_month, month) == ("*", "*") and re.fullmatch(r"[0-6]", day_of_week), cron
    (job,) = workflow["jobs"].values()
    assert job["continue-on-error"] is True
    steps = job["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "scripts/source_urls.py" in runs and (ROOT / "scripts" / "source_urls.py").is_file()
    (check,) = [step for step in steps if "lychee-action" in step.get("uses", "")]
    assert check["continue-on-error"] is True
    assert "source-urls.txt" in check["with"]["args"]
    assert any("steps.check.outcome == 'failure'" in str(step.get("if", "")) for step in steps)


def test_link_list_holds_every_bibliography_url_and_every_source_url_of_the_data():
    bibliography = pybtex.database.parse_file(str(ROOT / "references.bib"))
    expected_bib = {e.fields["url"] for e in bibliography.entries.values() if "url" in e.fields}
    assert set(source_urls.bibliography_urls()) == expected_bib and len(expected_bib) >= 50
    expected_data = set()
    for path in (ROOT / "data").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "source_url" in frame:
            expected_data |= {
                u for u in frame["source_url"] if u.startswith(("http://", "https://"))
            }
    assert set(source_urls.data_urls()) == expected_data and len(expected_data) >= 20
    assert source_urls.source_urls() == sorted(expected_bib | expected_data)


def test_link_list_reads_doi_fields_and_skips_cells_that_are_not_urls(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, title = {T}, doi = {10.1000/xyz}, year = {2024}}\n"
        "@misc{b, url = {https://example.org/b}, note = {n}}\n"
    )
    assert source_urls.bibliography_urls(bib) == [
        "https://doi.org/10.1000/xyz",
        "https://example.org/b",
    ]
    (tmp_path / "d.csv").write_text(
        "id,source_url\n1,https://example.org/d\n2,scripts/time_notebooks.py\n3,\n"
    )
    assert source_urls.data_urls(tmp_path) == ["https://example.org/d"]


# -- The built book ------------------------------------------------------------------------------


@pytest.mark.build
def test_every_page_has_a_description_an_open_graph_title_and_a_last_changed_date(site):
    descriptions = {}
    for page in toc_pages():
        html = soup(site, page)
        description = html.find("meta", attrs={"name": "description"})
        assert description and len(description["content"]) > 40, page
        assert len(html.find_all("meta", attrs={"name": "description"})) == 1, page
        og_title = html.find("meta", property="og:title")
        assert og_title and og_title["content"].strip(), page
        og_description = html.find("meta", property="og:description")
        assert og_description["content"] == description["content"], page
        assert not description["content"].startswith("Learning objectives"), page
        og_url = html.find("meta", property="og:url")["content"]
        assert og_url == f"https://example-org.github.io/back-to-back/{page}.html", page
        footer = html.find("footer", class_="bd-footer-content").get_text(" ", strip=True)
        assert LAST_UPDATED.search(footer), (page, footer)
        descriptions[page] = description["content"]
    assert len(set(descriptions.values())) == len(descriptions), (
        "descriptions are not page-specific"
    )


@pytest.mark.build
def test_front_matter_description_wins(site):
    text = (ROOT / "chapters" / "how-to-cite.md").read_text(encoding="utf-8")
    expected = yaml.safe_load(text.split("---")[1])["description"]
    html = soup(site, "chapters/how-to-cite")
    assert html.find("meta", attrs={"name": "description"})["content"] == expected


@pytest.mark.build
def test_how_to_cite_shows_the_version_and_date_of_the_build(site, built_project, build_days):
    history = site_meta.read_history(built_project)  # the test's copy has no .git: the fallback
    html = soup(site, "chapters/how-to-cite")
    facts = html.find(class_="btb-citation").get_text(" ", strip=True)
    bibtex = html.find(class_="btb-citation").find("pre").get_text()
    entry = next(iter(pybtex.database.parse_string(bibtex, "bibtex").entries.values()))
    dated = dt.date.fromisoformat(entry.fields["date"])
    # with git, the last commit's day; without, the day the build started (it may end a day later)
    assert dated in ([history.date] if history.from_git else build_days)
    assert f"Version: {history.version}" in facts
    assert f"Date: {prose.long_date(dated)}" in facts
    if not history.from_git:
        assert "without its git history" in facts
    apa = html.find(class_="btb-citation-apa").get_text(" ", strip=True)
    assert f"(Version {history.version})" in apa
    assert f"({dated.year}, {dated:%B} {dated.day})" in apa
    assert apa.endswith("https://example-org.github.io/back-to-back/")
    assert entry.fields["version"] == history.version


@pytest.mark.build
def test_landing_page_links_to_how_to_cite_changelog_and_corrections(site):
    links = {a["href"] for a in soup(site, "intro").select("article a[href]")}
    for page in ("how-to-cite", "changelog", "corrections"):
        assert f"chapters/{page}.html" in links, page


@pytest.mark.build
def test_corrections_page_lists_every_row_of_the_data(site):
    html = soup(site, "chapters/corrections")
    items = html.select("li.btb-correction")
    rows = data.load("corrections")
    assert len(items) == len(rows)
    assert rows["now"].iloc[0] in html.get_text(" ")


@pytest.mark.build
def test_data_licences_are_shown_from_the_catalogue(site):
    text = " ".join(soup(site, "chapters/how-this-book-works").get_text(" ").split())
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))  # smart quotes
    for licence in data.catalogue()["licence"]:
        assert " ".join(licence.split()) in text, licence


@pytest.mark.build
def test_repository_issue_and_edit_buttons_link_to_the_configured_repository(site):
    html = soup(site, "chapters/trade/eu")
    hrefs = {a["href"] for a in html.select(".article-header-buttons a[href]")}
    assert EXAMPLE_REPOSITORY in hrefs
    assert any(h.startswith(f"{EXAMPLE_REPOSITORY}/issues") for h in hrefs), hrefs
    assert f"{EXAMPLE_REPOSITORY}/edit/main/chapters/trade/eu.md" in hrefs


@pytest.mark.build
def test_every_page_names_a_favicon_that_the_site_serves(site):
    for page in toc_pages():
        icon = soup(site, page).find("link", rel="icon")
        assert icon, page
        assert (site / page).parent.joinpath(icon["href"]).resolve().is_file(), page


def test_chart_drawings_leave_the_page_for_files_named_by_content_and_the_csv_stays(tmp_path):
    png = b"\x89PNG fake bytes"
    link = '<a download="{name}" href="data:{mime};base64,' + base64.b64encode(png).decode() + '">'
    page = tmp_path / "chapters" / "trade" / "eu.html"
    page.parent.mkdir(parents=True)
    text = "".join(
        link.format(name=name, mime=mime)
        for name, mime in [("a.png", "image/png"), ("b.png", "image/png"), ("a.csv", "text/csv")]
    )
    lighter = speed.downloads_as_files(text, page, tmp_path)
    files = re.findall(r'download="[ab]\.png" href="([^"]+)"', lighter)
    assert len(files) == 2 and files[0].startswith("../../_static/charts/a-")
    assert all(page.parent.joinpath(f).read_bytes() == png for f in files)
    assert len(list((tmp_path / speed.CHART_FILES).iterdir())) == 2  # a.png and b.png
    assert 'download="a.csv" href="data:text/csv;base64,' in lighter


def test_the_theme_keeps_only_rules_that_can_match_the_site():
    css = (
        "body{margin:0}.used{color:red}.gone{color:blue}.used,.gone .x{top:0}"
        "a:not(.gone){color:green}@media (min-width:9px){.gone{x:1}.used #main{x:2}}"
        "@font-face{font-family:F}.bs-popover-top{x:3}[class*=gone]{x:4}:is(.used, .gone){x:5}"
    )
    kept = speed.used_rules(css, {"used", "main"})
    assert kept == (
        "body{margin:0}.used{color:red}.used{top:0}a:not(.gone){color:green}"
        "@media (min-width:9px){.used #main{x:2}}@font-face{font-family:F}"
        ".bs-popover-top{x:3}[class*=gone]{x:4}:is(.used, .gone){x:5}"
    )


@pytest.mark.build
def test_no_page_skips_a_heading_level(site):
    """Screen-reader users move by headings: after an h2 comes an h2 or h3, never an h4."""
    skips = {}
    for page in toc_pages():
        article = soup(site, page).find("article", class_="bd-article")
        previous = 1
        for heading in article.find_all(re.compile(r"^h[1-6]$")):
            level = int(heading.name[1])
            if level > previous + 1:
                skips.setdefault(page, []).append(f"h{previous} -> {heading.name} {heading.text!r}")
            previous = level
    assert skips == {}


@pytest.mark.build
def test_the_front_door_is_a_page_of_its_own_that_opens_the_landing_page(site):
    """index.html: language, the landing page's title and description, an icon, a plain link."""
    door, landing = soup(site, "index"), soup(site, "intro")
    assert door.html["lang"] == "en"
    assert door.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=intro.html"
    assert door.title.string == landing.title.string
    description = door.find("meta", attrs={"name": "description"})["content"]
    assert (
        description
        and description == landing.find("meta", attrs={"name": "description"})["content"]
    )
    assert (site / door.find("link", rel="icon")["href"]).is_file()
    assert door.find("a", href="intro.html")


@pytest.mark.build
@pytest.mark.browser
def test_one_search_field_on_a_desktop_and_search_still_opens_on_a_phone_and_by_keyboard(
    open_page,
):
    desktop = open_page("chapters/trade/eu.html", width=1280)
    fields = desktop.page.locator("button.search-button-field")
    assert sum(fields.nth(i).is_visible() for i in range(fields.count())) == 1
    desktop.page.keyboard.press("Control+k")
    desktop.page.locator("#pst-search-dialog input[name=q]").wait_for(state="visible")

    phone = open_page("chapters/trade/eu.html", width=375)
    phone.page.locator(".article-header-buttons button.search-button").click()
    phone.page.locator("#pst-search-dialog input[name=q]").wait_for(state="visible")
    assert desktop.console_errors == [] and phone.console_errors == []


@pytest.mark.build
def test_a_clone_without_a_github_remote_dates_pages_by_commit_and_has_no_repository_links(
    tmp_path,
):
    """A mini book in a fresh git repository (no remote): page dates from git, no repository links."""
    project = mini_book(tmp_path, {})
    git(project, "init", "--quiet")
    git(project, "add", ".")
    git(project, "commit", "--quiet", "-m", "book", date="2025-05-16T08:00:00+00:00")
    result = build_book(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = project / "_build" / "html"
    html = soup(site, "intro")
    footer = html.find("footer", class_="bd-footer-content").get_text(" ", strip=True)
    assert "Last updated on 16 May 2025." in footer, footer
    assert not html.select(".article-header-buttons a[href*='github.com']")
    assert html.find("meta", property="og:url") is None  # no published address known
    assert "executablebooks/jupyter-book" not in str(html)
