"""The test suite's own machinery: what `make check` leaves out, and how it says so."""

from __future__ import annotations

import pytest

from . import conftest


class Item:
    """Just enough of a collected test for the marking hook."""

    def __init__(self, *fixtures: str):
        self.fixturenames = list(fixtures)
        self.markers: list[str] = []

    def add_marker(self, marker: str) -> None:
        self.markers.append(marker)


def test_tests_using_the_built_book_or_chromium_are_marked_for_it():
    # pytest lists every fixture a test needs, through other fixtures too (open_page -> site ...)
    site, sweep, demo, plain = (
        Item("site", "built_project"),
        Item("page_sweep", "site", "built_project", "browser", "server"),
        Item("demo_builds", "tmp_path_factory"),
        Item("tmp_path"),
    )
    conftest.pytest_collection_modifyitems([site, sweep, demo, plain])
    assert site.markers == ["build"]
    assert sorted(sweep.markers) == ["browser", "build"]
    assert demo.markers == ["build"]
    assert plain.markers == []


def test_make_check_refuses_a_book_build_naming_the_marker(tmp_path, monkeypatch):
    monkeypatch.setenv(conftest.NO_BUILD, "1")
    with pytest.raises(pytest.fail.Exception, match=r"mark it @pytest.mark.build"):
        conftest.build_book(tmp_path)


def test_make_check_deselects_build_and_browser_tests():
    makefile = (conftest.ROOT / "Makefile").read_text()
    check = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    assert f'{conftest.NO_BUILD}=1 $(BIN)/python -m pytest -m "not build and not browser"' in check
