"""The bundled sample site: RSS and Atom feeds with article pages, served from 127.0.0.1 by
:mod:`pipeline.sample.server` for `newswatch demo` and the end-to-end tests."""

from importlib import resources
from pathlib import Path

SAMPLE_DIR = Path(str(resources.files("pipeline") / "sample"))
SITE_DIR = SAMPLE_DIR / "site"
WATCHLIST = SAMPLE_DIR / "watchlist.yaml"
