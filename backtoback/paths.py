"""Where things live in the repository, resolved from this file so notebooks can run from any folder."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
CATALOG = DATA_DIR / "catalog.yaml"
