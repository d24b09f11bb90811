"""Where the shared corpora live (feeds, article pages with gold text, NER sets): the eval, the
selftest, the benchmarks and the tests read them there and never fetch them.

``$NEWSWATCH_SHARED_DIR`` when set; else ``shared/`` beside the checkout (the documented layout,
``../shared`` from the project root); else ``/work/shared``, where this workplace keeps it for
checkouts made elsewhere (a clean clone in /tmp).
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_ENV = "NEWSWATCH_SHARED_DIR"


def shared_dir() -> Path:
    if os.environ.get(SHARED_ENV):
        return Path(os.environ[SHARED_ENV])
    beside = Path(__file__).resolve().parents[2] / "shared"
    for candidate in (beside, Path("/work/shared")):
        if candidate.is_dir():
            return candidate
    return beside
