"""Storage backends behind one interface (:class:`pipeline.store.base.Store`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.store.base import Store, StoreUnavailable

if TYPE_CHECKING:
    from pipeline.config import Settings

__all__ = ["Store", "StoreUnavailable", "open_store"]


def open_store(settings: Settings) -> Store:
    """The configured backend, set up and ready; imports the Elasticsearch client only when used."""
    store: Store
    if settings.store.backend == "elasticsearch":
        from pipeline.store.elasticsearch import ElasticsearchStore

        store = ElasticsearchStore(settings.store.elasticsearch)
    else:
        from pipeline.store.sqlite import SqliteStore

        store = SqliteStore(settings.store_path)
    store.setup()
    return store
