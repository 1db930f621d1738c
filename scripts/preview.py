"""Build a few pages quickly, in a private copy of the project (your _build/ is untouched).

    .venv/bin/python scripts/preview.py chapters/trade/eu.md [more pages...]

Prints where the HTML is. Useful while writing a chapter; `make book` builds everything.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import build_book, mini_book  # noqa: E402

pages = {str(Path(p).with_suffix("").relative_to("chapters")): None for p in sys.argv[1:]}
project = mini_book(Path(tempfile.mkdtemp(prefix="preview-")), pages)
result = build_book(project)
print(result.stdout[-4000:], result.stderr[-4000:])
print(("built: " if result.returncode == 0 else "FAILED: ") + str(project / "_build" / "html"))
sys.exit(result.returncode)
