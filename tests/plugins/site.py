"""The bundled sample site served over real HTTP on 127.0.0.1 for a test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline.sample import SITE_DIR
from pipeline.sample.server import SiteServer


@pytest.fixture
def sample_site() -> Iterator[SiteServer]:
    with SiteServer(SITE_DIR) as server:
        yield server
