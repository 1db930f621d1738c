"""Rebuild every derived CSV in data/ from data/raw/."""

from ..data import info
from . import DERIVED, after_visit

for name, derive in {**DERIVED, **after_visit.DERIVED}.items():
    path = info(name).path
    derive().to_csv(path, index=False, lineterminator="\n")
    print(f"wrote {path.relative_to(path.parents[1])}")
