"""Rebuild every derived CSV in data/ from data/raw/."""

from ..data import info
from . import DERIVED

for name, derive in DERIVED.items():
    path = info(name).path
    derive().to_csv(path, index=False, lineterminator="\n")
    print(f"wrote {path.relative_to(path.parents[1])}")
