"""One module per page of the trade chapter ("The trade shifts"), plus what pages share.

Each page module (``china_russia``, ``partners``, ``eu_monthly``, ``settlement``, ``energy_goods``,
``border``) holds three kinds of things for its page, and nothing for any other page:

- ``facts(...)``: every number the page quotes, computed once from the frames the page's visible
  cells build, as one :class:`Facts` object. The page glues its numbers, and its captions and alt
  text are read from it, so a number is never computed twice.
- chart decoration (``plot_*``): colours, markers, legends, titles. The pandas steps that shape
  the data behind a chart are not here: they are on the page, where readers can see and change them.
- rules too long for a cell, with their tests (for example the settlement page's rule for
  conflicting reports).

:mod:`.wording` holds the phrasing shared by pages and :mod:`.charts` the drawing shared by pages.
"""

from __future__ import annotations

import numbers
from types import SimpleNamespace

from .. import prose


class Facts(SimpleNamespace):
    """A page's numbers and the words built from them, read as attributes (``facts.peak_year``)."""

    def numbers(self) -> dict[str, float]:
        """The numeric facts (not flags, words or tables), by name."""
        return {
            name: value
            for name, value in vars(self).items()
            if isinstance(value, numbers.Real) and not isinstance(value, bool)
        }

    def glue(self, prefix: str) -> None:
        """Glue every number as ``<prefix>_<name>``, for ``{glue:text}`` roles in the page's text."""
        for name, value in self.numbers().items():
            prose.glue(f"{prefix}_{name}", value)
