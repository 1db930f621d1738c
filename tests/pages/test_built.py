"""The built trade pages: their charts, figure targets and text, checked against each page's
facts object (each page's test module gives ``PAGE``, ``CHARTS``, ``LABELS`` and
``built_snippets(facts)``)."""

from __future__ import annotations

import pytest

from . import (
    test_border,
    test_china_russia,
    test_energy_goods,
    test_eu_monthly,
    test_partners,
    test_settlement,
)
from .conftest import check_built_figures, check_built_text, page_once

PAGES = [
    test_china_russia,
    test_partners,
    test_eu_monthly,
    test_settlement,
    test_energy_goods,
    test_border,
]


@pytest.mark.build
@pytest.mark.parametrize("module", PAGES, ids=lambda m: m.PAGE)
def test_the_built_page_shows_its_charts_and_their_targets(site, module):
    check_built_figures(site, module.PAGE, charts=module.CHARTS)
    html = (site / "chapters" / "trade" / f"{module.PAGE}.html").read_text(encoding="utf-8")
    for label in module.LABELS:
        assert f'id="{label}"' in html, f"{module.PAGE}: no target {label}"


@pytest.mark.build
@pytest.mark.parametrize("module", PAGES, ids=lambda m: m.PAGE)
def test_the_built_text_quotes_the_facts(site, module):
    facts = page_once(module.PAGE)["facts"]
    check_built_text(site, module.PAGE, module.built_snippets(facts))
