"""Glue what is measured, type what is words: the trade pages' {glue:text} roles are numbers."""

from __future__ import annotations

import numbers
import re

import pytest

from .conftest import TRADE, page_once

PAGES = ["china-russia-trade", "partners", "eu", "settlement", "energy-goods", "border"]
ROLE = re.compile(r"\{glue:text\}`([A-Za-z0-9_]+)(?::([^`]*))?`")
MAX_ROLES = 80  # issue 10: at most 80 glued values on the six trade pages


def roles(page: str) -> list[tuple[str, str | None]]:
    return ROLE.findall((TRADE / f"{page}.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_every_glued_value_in_the_text_is_a_number(page):
    glued = page_once(page)["__glued__"]
    for name, _spec in roles(page):
        assert name in glued, f"{page}.md: {{glue:text}}`{name}` is never glued"
        value = glued[name]
        assert isinstance(value, numbers.Real) and not isinstance(value, bool), (
            f"{page}.md: {{glue:text}}`{name}` glues {value!r}: glue numbers only, type the words"
        )


def test_the_trade_pages_glue_at_most_80_values():
    count = sum(len(roles(page)) for page in PAGES)
    assert 0 < count <= MAX_ROLES, f"{count} glue roles on the trade pages"


def test_no_glued_year_or_month():
    """Years are typed and asserted in the facts cell, not glued."""
    for page in PAGES:
        for name, _spec in roles(page):
            assert not re.search(r"(_year|_month|_when)$", name), f"{page}.md glues {name}"
