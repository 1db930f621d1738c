"""Derive the project's tidy CSVs from the raw extracts in ``data/raw/``.

Run ``python -m backtoback.pipeline`` to rebuild every derived file; the tests re-derive them and
compare, so a hand edit to a derived CSV is caught.
"""

from . import comext, dots, research

#: Derived dataset name -> function that returns its rows as a DataFrame.
DERIVED = {
    "imf_dots_trade": dots.tidy_trade,
    "eu_russia_trade_monthly": comext.eu27_monthly,
    **research.DERIVED,
}
