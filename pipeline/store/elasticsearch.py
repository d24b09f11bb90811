"""The production store: Elasticsearch, behind the same interface and contract as SQLite.

Layout: one index per record kind, ``{prefix}-{kind}-v1``, always read and written through the
alias ``{prefix}-{kind}`` so that a v2 can be built beside it and swapped in (schemas/README.md).
The mappings are the composable templates in ``schemas/elasticsearch/v1/``, strict, so a model
field missing from a template fails loudly instead of being guessed by dynamic mapping.

Semantics borrowed from the reference backend (pipeline/store/sqlite.py), and how they are kept:

* Every ``_id`` is the model's deterministic id, so a replay overwrites instead of duplicating.
* Insert-if-absent (items, alerts) is ``op_type=create``: Elasticsearch answers 409 for an id it
  already holds, atomically, whatever the number of writers. The (feed, GUID) uniqueness of items
  is a second create on a guard document whose ``_id`` is derived from the pair.
* Reads by id are real-time; searches see only refreshed segments. The store remembers which
  aliases it wrote and refreshes each once before its next search of it, so a process always
  reads its own writes without a refresh per document; at setup it refreshes each index before
  its first search, so a new run reads everything earlier runs wrote (a concurrent process sees
  new writes within the index refresh interval, one second by default).
* Full text: the standard analyzer (the only one every cluster has) keeps accents and French
  elisions ("l'élysée" is one token), where SQLite's FTS5 drops them. Articles therefore carry a
  ``folded`` field, words folded here exactly as FTS5 folds them, and searches go through it.
* Transient failures (connection errors, 429, 502-504, per-document bulk rejections) are retried
  with exponential backoff; what still fails raises :class:`StoreUnavailable`, never dropped.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import unicodedata
import zlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from elasticsearch import ApiError, ConnectionTimeout, Elasticsearch, TransportError, helpers
from elasticsearch import ConnectionError as EsConnectionError
from pydantic import BaseModel
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from pipeline.config import ElasticsearchSettings
from pipeline.ids import stable_id
from pipeline.models import (
    Alert,
    AlertStatus,
    Article,
    Claim,
    ClaimQuery,
    Digest,
    EnrichedArticle,
    ErrorRecord,
    FeedItem,
    FeedState,
    FetchedPage,
    ItemStatus,
    Ledgered,
    Mention,
    SearchHit,
    SearchQuery,
    Stage,
    WorkItem,
)
from pipeline.store.base import PRUNED, Kind, StoreUnavailable

SCHEMA_VERSION = 1
TEMPLATES_DIR = Path(str(resources.files("pipeline.schemas") / "elasticsearch" / f"v{SCHEMA_VERSION}"))
INDEX_KINDS = (
    "articles", "mentions", "claims", "alerts", "digests", "errors", "items", "item_guids", "feed_state", "pages",
)
LANGUAGE_ANALYZERS = {"fr": "french", "en": "english"}

_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_PAGE_SIZE = 1000
_MAX_ERROR_UPDATES = 10
_WORDS = re.compile(r"[^\W_]+")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def fold(text: str | None) -> str:
    """Lower-cased words without diacritics, split as FTS5's unicode61 tokenizer splits them.

    Indexed into ``folded`` and applied to queries, it gives the standard analyzer the same
    tokens as SQLite's ``remove_diacritics`` search: "Élysée" matches "l'elysee".
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_WORDS.findall(stripped.lower()))


def _iso(value: datetime) -> str:
    """UTC ISO-8601 with microseconds; a naive datetime is taken as UTC, as the models store it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _range(field: str, since: datetime | None, until: datetime | None) -> list[dict[str, Any]]:
    """A [since, until) filter on ``field``, or no filter when both bounds are open."""
    bounds = {key: _iso(value) for key, value in (("gte", since), ("lt", until)) if value is not None}
    return [{"range": {field: bounds}}] if bounds else []


def _terms(**fields: str | None) -> list[dict[str, Any]]:
    """Exact-match filters for the fields given a value; ``None`` means "any"."""
    return [{"term": {field: value}} for field, value in fields.items() if value is not None]


def _bool(filters: list[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": filters}} if filters else {"match_all": {}}


def _model(cls: type[M], source: dict[str, Any]) -> M:
    """The model back from a document, without the fields the store derives for searching."""
    return cls.model_validate({key: value for key, value in source.items() if key in cls.model_fields})


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (_Retryable, EsConnectionError, ConnectionTimeout)):
        return True
    return isinstance(exc, ApiError) and exc.status_code in _RETRY_STATUSES


def _explain(exc: Exception) -> str:
    """The exception with the chain of causes Elasticsearch gives (the first reason is often vague)."""
    error = getattr(exc, "body", None)
    error = error.get("error") if isinstance(error, dict) else None
    reasons = []
    while isinstance(error, dict):
        reasons.append(f"{error.get('type')}: {error.get('reason')}")
        error = error.get("caused_by")
    return f"{exc}" + (f" ({' <- '.join(reasons)})" if reasons else "")


def load_templates(prefix: str, language_analyzers: bool = False) -> dict[str, dict[str, Any]]:
    """The index templates of this schema version for ``prefix``, keyed by index kind.

    The files are written for the default prefix; the pattern is rewritten so that several
    deployments (or test runs) share a cluster. With ``language_analyzers`` the text fields listed
    in ``_meta.language_fields`` gain ``.fr`` and ``.en`` sub-fields (analysis-common needed).
    """
    if not TEMPLATES_DIR.is_dir():
        raise StoreUnavailable(f"index templates not found in {TEMPLATES_DIR}")
    templates = {}
    for kind in INDEX_KINDS:
        body = json.loads((TEMPLATES_DIR / f"newswatch-{kind}.json").read_text(encoding="utf-8"))
        body["index_patterns"] = [f"{prefix}-{kind}-v{SCHEMA_VERSION}"]
        if language_analyzers:
            properties = body["template"]["mappings"]["properties"]
            for field in body["_meta"].get("language_fields", []):
                properties[field]["fields"] = {
                    code: {"type": "text", "analyzer": analyzer} for code, analyzer in LANGUAGE_ANALYZERS.items()
                }
        templates[kind] = body
    return templates


class _Retryable(Exception):
    """Some bulk actions were rejected for a transient reason; raised to make tenacity retry them."""


class _Bulk:
    """One bulk write: the status of each action, re-sending only those that failed transiently."""

    def __init__(self, actions: Sequence[dict[str, Any]]) -> None:
        self.actions = actions
        self.statuses: list[int | None] = [None] * len(actions)
        self.errors: dict[int, str] = {}

    def pending(self) -> list[int]:
        return [i for i, status in enumerate(self.statuses) if status is None or status in _RETRY_STATUSES]

    def send(self, client: Elasticsearch) -> None:
        pending = self.pending()
        results = helpers.streaming_bulk(
            client, (self.actions[i] for i in pending), raise_on_error=False, raise_on_exception=False,
            max_retries=0,
        )
        try:
            for index, (_ok, result) in zip(pending, results, strict=False):
                info = next(iter(result.values()))
                status = info.get("status")
                self.statuses[index] = status if isinstance(status, int) else 500
                if "error" in info:
                    self.errors[index] = json.dumps(info["error"], default=str)[:500]
                else:
                    self.errors.pop(index, None)
        except (EsConnectionError, ConnectionTimeout) as exc:
            # The actions not answered yet stay pending: re-sending them is harmless, every
            # action is keyed by a deterministic _id.
            raise _Retryable(str(exc)) from exc
        if self.pending():
            raise _Retryable(f"{len(self.pending())} bulk action(s) rejected transiently")

    def check(self, tolerated: frozenset[int]) -> list[int]:
        """Statuses in action order, or StoreUnavailable naming the actions that still failed."""
        failed = [
            i for i, status in enumerate(self.statuses)
            if status is None or (not 200 <= status < 300 and status not in tolerated)
        ]
        if failed:
            details = "; ".join(
                f"{self._describe(i)}: {self.statuses[i] or 'no answer'} {self.errors.get(i, '')}".strip()
                for i in failed[:5]
            )
            raise StoreUnavailable(f"elasticsearch bulk: {len(failed)} of {len(self.actions)} action(s) failed: "
                                   f"{details}")
        return [status or 0 for status in self.statuses]

    def _describe(self, index: int) -> str:
        action = self.actions[index]
        return f"{action.get('_op_type', 'index')} {action['_index']}/{action['_id']}"


class ElasticsearchStore:
    """The :class:`~pipeline.store.base.Store` on an Elasticsearch cluster (see the module docstring)."""

    def __init__(self, settings: ElasticsearchSettings, *, retry_wait: float = 0.5) -> None:
        """No connection yet: the client is made on first use, so building a store never fails.

        ``retry_wait`` is the first backoff in seconds; it doubles per retry, at most 30 s a wait,
        for ``settings.max_retries`` retries.
        """
        self.settings = settings
        self.prefix = settings.index_prefix
        self._retry_wait = retry_wait
        self._client: Elasticsearch | None = None
        self._dirty: set[str] = set()
        self._lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def client(self) -> Elasticsearch:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> Elasticsearch:
        settings = self.settings
        options: dict[str, Any] = {
            "request_timeout": settings.request_timeout,
            # Retries are ours (with backoff, and per bulk item); the transport's are immediate.
            "max_retries": 0,
            "verify_certs": settings.verify_certs,
        }
        if settings.api_key is not None:
            options["api_key"] = settings.api_key.get_secret_value()
        if settings.username is not None and settings.password is not None:  # both or neither: checked at load
            options["basic_auth"] = (settings.username, settings.password.get_secret_value())
        if settings.ca_certs is not None:
            options["ca_certs"] = str(settings.ca_certs)
        return Elasticsearch(settings.hosts, **options)

    def alias(self, kind: str) -> str:
        return f"{self.prefix}-{kind}"

    def index_name(self, kind: str) -> str:
        return f"{self.prefix}-{kind}-v{SCHEMA_VERSION}"

    def _retrying(self) -> Retrying:
        return Retrying(
            retry=retry_if_exception(_is_transient),
            wait=wait_exponential(multiplier=self._retry_wait, max=30),
            stop=stop_after_attempt(self.settings.max_retries + 1),
            reraise=True,
        )

    def _call(self, what: str, method: Callable[..., T], **kwargs: Any) -> T:
        """One API call, retried while transient; any failure left becomes StoreUnavailable."""
        try:
            return self._retrying()(method, **kwargs)
        except (ApiError, TransportError) as exc:
            raise StoreUnavailable(f"elasticsearch {what}: {_explain(exc)}") from exc

    def _bulk(self, actions: Sequence[dict[str, Any]], tolerated: frozenset[int] = frozenset()) -> list[int]:
        """Run the actions, re-sending transient rejections; their statuses, in order."""
        if not actions:
            return []
        bulk = _Bulk(actions)
        with suppress(_Retryable):  # what is still failing after the retries is reported by check()
            self._retrying()(bulk.send, self.client)
        with self._lock:
            self._dirty.update(action["_index"] for action in actions)
        return bulk.check(tolerated)

    def _action(self, op: str, kind: str, doc_id: str, **body: Any) -> dict[str, Any]:
        return {"_op_type": op, "_index": self.alias(kind), "_id": doc_id, **body}

    def _put(self, kind: str, doc_id: str, document: dict[str, Any]) -> None:
        """Write one document whole (create or overwrite)."""
        self._call("index", self.client.index, index=self.alias(kind), id=doc_id, document=document)
        with self._lock:
            self._dirty.add(self.alias(kind))

    def _get(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        """The whole response of a real-time get, or None when the document does not exist."""
        response = self._call(
            "get", self.client.options(ignore_status=404).get, index=self.alias(kind), id=doc_id
        )
        body: dict[str, Any] = response.body
        if body.get("found"):
            return body
        if "error" in body:
            raise StoreUnavailable(f"elasticsearch get {self.alias(kind)}: {body['error']} (was setup() run?)")
        return None

    def _fresh(self, alias: str) -> None:
        """Refresh ``alias`` if this process wrote to it since its last search: read-your-writes."""
        with self._lock:
            if alias not in self._dirty:
                return
            self._dirty.discard(alias)
        self._call("refresh", self.client.indices.refresh, index=alias)

    def _search(
        self,
        kind: str,
        query: dict[str, Any],
        sort: list[dict[str, Any]],
        limit: int | None = None,
        source: bool | list[str] = True,
    ) -> list[dict[str, Any]]:
        """Hits in ``sort`` order, up to ``limit`` or all of them."""
        hits: list[dict[str, Any]] = []
        for page in self._pages(kind, query, sort, limit, source):
            hits.extend(page)
        return hits

    def _pages(
        self,
        kind: str,
        query: dict[str, Any],
        sort: list[dict[str, Any]],
        limit: int | None = None,
        source: bool | list[str] = True,
    ) -> Iterator[list[dict[str, Any]]]:
        """Hits a page at a time (search_after), so a caller can act on each before the next.

        ``sort`` must end with a unique field so that the pages neither overlap nor skip; deleting
        the hits of a page does not move the next one, which starts after the last sort value.
        """
        alias = self.alias(kind)
        self._fresh(alias)
        seen = 0
        after: list[Any] | None = None
        while limit is None or seen < limit:
            size = _PAGE_SIZE if limit is None else min(_PAGE_SIZE, limit - seen)
            extra = {"search_after": after} if after else {}
            response = self._call(
                "search", self.client.search, index=alias, query=query, sort=sort, size=size,
                source=source, track_total_hits=False, **extra,
            )
            page = response["hits"]["hits"]
            seen += len(page)
            if page:
                yield page
            if len(page) < size:
                break
            after = page[-1]["sort"]

    def _sources(self, cls: type[M], kind: str, query: dict[str, Any], sort: list[dict[str, Any]],
                 limit: int | None = None) -> list[M]:
        return [_model(cls, hit["_source"]) for hit in self._search(kind, query, sort, limit)]

    # -- setup ------------------------------------------------------------------------------
    def setup(self) -> None:
        """Install the templates (PUT is an overwrite: idempotent), then each index behind its alias.

        An alias that already exists is left alone: it may point at a newer version's index.
        """
        templates = load_templates(self.prefix, self.settings.language_analyzers)
        for kind, body in templates.items():
            self._call("put template", self.client.indices.put_index_template, name=self.index_name(kind),
                       body=body)
        for kind in templates:
            if not self._call("alias exists", self.client.indices.exists_alias, name=self.alias(kind)):
                self._create_index(kind)
        # Writes of an earlier run may be younger than the refresh interval: the first search of
        # each index in this process refreshes it, so a rerun never reads a stale ledger (an alert
        # still "pending" that was sent a moment ago would be sent again).
        self._dirty.update(self.alias(kind) for kind in templates)

    def _create_index(self, kind: str) -> None:
        """Create the index with its alias; if it exists already (a concurrent setup), add the alias."""
        response = self._call(
            "create index", self.client.options(ignore_status=400).indices.create,
            index=self.index_name(kind), aliases={self.alias(kind): {"is_write_index": True}},
        )
        if response.meta.status == 400:
            error = response.body.get("error", {})
            if error.get("type") != "resource_already_exists_exception":
                raise StoreUnavailable(f"elasticsearch create index {self.index_name(kind)}: {error}")
            self._call("put alias", self.client.indices.put_alias, index=self.index_name(kind),
                       name=self.alias(kind), is_write_index=True)

    def drop(self) -> None:
        """Delete every index and template of this prefix: for disposable prefixes (tests,
        benchmarks), never called by the pipeline."""
        client = self.client
        indices = client.indices.get(index=f"{self.prefix}-*", expand_wildcards="all")
        if indices:
            client.indices.delete(index=",".join(indices))
        names = ",".join(self.index_name(kind) for kind in INDEX_KINDS)
        client.options(ignore_status=404).indices.delete_index_template(name=names)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- feed state ------------------------------------------------------------------------
    @staticmethod
    def _feed_id(feed_url: str) -> str:
        """URLs can exceed the 512-byte limit of an ``_id``; their hash cannot."""
        return stable_id("feed", feed_url)

    def get_feed_state(self, feed_url: str) -> FeedState | None:
        found = self._get("feed_state", self._feed_id(feed_url))
        return _model(FeedState, found["_source"]) if found else None

    def save_feed_state(self, state: FeedState) -> None:
        self._put("feed_state", self._feed_id(state.feed_url), state.model_dump(mode="json"))

    # -- work ledger -----------------------------------------------------------------------
    def add_items(self, items: Sequence[FeedItem]) -> list[FeedItem]:
        """Create each item by id, then its (feed, GUID) guard; an item whose guard exists is undone.

        Item first, guard second: a crash in between leaves an item without a guard, never a guard
        without its item (an article lost for good). The guard of an item already known is
        created again (a no-op when it exists), so the next poll that still lists the entry
        restores a guard such a crash lost, before a duplicate GUID can get in.
        """
        statuses = self._bulk(
            [self._action("create", "items", item.id, _source=WorkItem(item=item).model_dump(mode="json"))
             for item in items],
            tolerated=frozenset({409}),
        )
        created = [item for item, status in zip(items, statuses, strict=True) if status != 409]
        guarded = [item for item in items if item.guid is not None]
        guard_statuses = self._bulk(
            [self._action("create", "item_guids", stable_id("guid", item.feed_url, item.guid),
                          _source={"feed_url": item.feed_url, "guid": item.guid, "item_id": item.id})
             for item in guarded],
            tolerated=frozenset({409}),
        )
        fresh = {item.id for item in created}
        duplicates = {item.id for item, status in zip(guarded, guard_statuses, strict=True)
                      if status == 409 and item.id in fresh}
        self._bulk([self._action("delete", "items", item_id) for item_id in sorted(duplicates)],
                   tolerated=frozenset({404}))
        return [item for item in created if item.id not in duplicates]

    def due_items(self, now: datetime, limit: int) -> list[WorkItem]:
        order = [{"updated_at": "asc"}, {"item.id": "asc"}]
        fetched = self._sources(WorkItem, "items", _bool(_terms(status=ItemStatus.fetched.value)), order, limit)
        if len(fetched) >= limit:
            return fetched
        retry_due = {"bool": {"should": [
            {"bool": {"must_not": {"exists": {"field": "next_attempt_at"}}}},
            {"range": {"next_attempt_at": {"lte": _iso(now)}}},
        ], "minimum_should_match": 1}}
        pending = _bool([*_terms(status=ItemStatus.pending.value), retry_due])
        return fetched + self._sources(WorkItem, "items", pending, order, limit - len(fetched))

    def save_work(self, work: WorkItem) -> None:
        self._put("items", work.item.id, work.model_dump(mode="json"))

    def get_work(self, item_id: str) -> WorkItem | None:
        found = self._get("items", item_id)
        return _model(WorkItem, found["_source"]) if found else None

    # -- raw pages ------------------------------------------------------------------------
    def save_page(self, page: FetchedPage) -> None:
        document = page.model_dump(mode="json", exclude={"body"})
        document["body"] = base64.b64encode(zlib.compress(page.body, 6)).decode("ascii")
        self._put("pages", page.item_id, document)

    def get_page(self, item_id: str) -> FetchedPage | None:
        found = self._get("pages", item_id)
        if not found:
            return None
        source = dict(found["_source"])
        body = zlib.decompress(base64.b64decode(source.pop("body")))
        return FetchedPage.model_validate({**source, "body": body})

    def page_ids(self, since: datetime | None = None, until: datetime | None = None) -> list[str]:
        hits = self._search(
            "pages", _bool(_range("fetched_at", since, until)),
            [{"fetched_at": "asc"}, {"item_id": "asc"}], source=["item_id"],
        )
        return [hit["_source"]["item_id"] for hit in hits]

    # -- documents -------------------------------------------------------------------------
    def save_articles(self, docs: Sequence[EnrichedArticle]) -> None:
        """One bulk: the articles, their mentions, their claims, and deletes of what they no longer have.

        A claim is written as an update whose ``doc`` lacks ``first_seen`` and whose ``upsert`` has
        it, so an existing claim keeps the time it was first stored, without a read.
        """
        latest = {doc.article.id: doc for doc in docs}  # the same article twice: the last one wins
        if not latest:
            return
        stale_mentions = self._ids_by_article("mentions", list(latest))
        stale_claims = self._ids_by_article("claims", list(latest))
        actions: list[dict[str, Any]] = []
        for doc in latest.values():
            actions.append(self._action("index", "articles", doc.article.id, _source=self._article_source(doc)))
            for mention in doc.mentions:
                stale_mentions.discard(mention.id)
                actions.append(self._action("index", "mentions", mention.id, _source=mention.model_dump(mode="json")))
            for claim in doc.claims:
                stale_claims.discard(claim.id)
                actions.append(self._claim_upsert(claim))
        actions += [self._action("delete", "mentions", doc_id) for doc_id in sorted(stale_mentions)]
        actions += [self._action("delete", "claims", doc_id) for doc_id in sorted(stale_claims)]
        self._bulk(actions, tolerated=frozenset({404}))

    @staticmethod
    def _article_source(doc: EnrichedArticle) -> dict[str, Any]:
        article = doc.article
        return {
            **article.model_dump(mode="json"),
            "folded": f"{fold(article.title)} {fold(article.text)}".strip(),
            "entities": sorted({mention.entity_id for mention in doc.mentions}),
            "date": _iso(article.published or article.fetched_at),
        }

    def _claim_upsert(self, claim: Claim) -> dict[str, Any]:
        source = claim.model_dump(mode="json")
        source["entities"] = sorted(set(claim.about) | ({claim.speaker_entity} if claim.speaker_entity else set()))
        update = {key: value for key, value in source.items() if key != "first_seen"}
        return self._action("update", "claims", claim.id, doc=update, upsert=source)

    def _ids_by_article(self, kind: str, article_ids: list[str]) -> set[str]:
        hits = self._search(kind, {"terms": {"article_id": article_ids}}, [{"id": "asc"}], source=False)
        return {hit["_id"] for hit in hits}

    def get_article(self, article_id: str) -> Article | None:
        found = self._get("articles", article_id)
        return _model(Article, found["_source"]) if found else None

    def search(self, query: SearchQuery) -> list[SearchHit]:
        words = fold(query.text)
        if not words:
            return []
        filters = [
            *_terms(language=query.language, entities=query.entity),
            *_range("date", query.since, query.until),
        ]
        full_text = {"bool": {"should": self._text_clauses(query.text, words), "minimum_should_match": 1,
                              "filter": filters}}
        hits = self._search("articles", full_text, [{"_score": "desc"}, {"id": "asc"}], query.limit)
        return [self._hit(hit) for hit in hits]

    def _text_clauses(self, text: str, words: str) -> list[dict[str, Any]]:
        """Every word required, as in SQLite; with language analyzers, stemmed matches count too."""
        clauses: list[dict[str, Any]] = [{"match": {"folded": {"query": words, "operator": "and"}}}]
        if self.settings.language_analyzers:
            clauses += [
                {"multi_match": {"query": text, "fields": [f"title.{code}", f"text.{code}"],
                                 "type": "cross_fields", "operator": "and"}}
                for code in LANGUAGE_ANALYZERS
            ]
        return clauses

    @staticmethod
    def _hit(hit: dict[str, Any]) -> SearchHit:
        article = _model(Article, hit["_source"])
        return SearchHit(
            article_id=article.id, title=article.title, url=article.url, outlet=article.outlet,
            language=article.language, published=article.published, score=float(hit["_score"] or 0.0),
        )

    def find_claims(self, query: ClaimQuery) -> list[Claim]:
        filters = [
            *_terms(entities=query.entity, stance=query.stance.value if query.stance else None,
                    language=query.language, article_id=query.article_id),
            *_range("first_seen", query.since, query.until),
        ]
        order = [{"first_seen": "desc"}, {"article_id": "asc"}, {"start": "asc"}, {"id": "asc"}]
        return self._sources(Claim, "claims", _bool(filters), order, query.limit)

    def find_mentions(self, article_id: str | None = None, entity: str | None = None) -> list[Mention]:
        order = [{"article_id": "asc"}, {"start": "asc"}, {"entity_id": "asc"}, {"id": "asc"}]
        return self._sources(Mention, "mentions", _bool(_terms(article_id=article_id, entity_id=entity)), order)

    def count(self, kind: Kind) -> int:
        alias = self.alias(kind)
        self._fresh(alias)
        return int(self._call("count", self.client.count, index=alias)["count"])

    # -- alert and digest ledgers ---------------------------------------------------------
    def _add_new(self, kind: str, entries: Sequence[Ledgered]) -> list[Ledgered]:
        """Create each ledger entry; the ones whose id exists (409) are not new and stay as they are."""
        statuses = self._bulk(
            [self._action("create", kind, entry.id, _source=entry.model_dump(mode="json")) for entry in entries],
            tolerated=frozenset({409}),
        )
        return [entry for entry, status in zip(entries, statuses, strict=True) if status != 409]

    def _find_ledger(self, cls: type[Ledgered], kind: str, status: AlertStatus | None,
                     limit: int) -> list[Ledgered]:
        query = _bool(_terms(status=status.value if status else None))
        return self._sources(cls, kind, query, [{"created_at": "asc"}, {"id": "asc"}], limit)

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        return self._add_new("alerts", alerts)

    def find_alerts(self, status: AlertStatus | None = None, limit: int = 100) -> list[Alert]:
        return self._find_ledger(Alert, "alerts", status, limit)

    def save_alert(self, alert: Alert) -> None:
        self._put("alerts", alert.id, alert.model_dump(mode="json"))

    def add_digests(self, digests: Sequence[Digest]) -> list[Digest]:
        return self._add_new("digests", digests)

    def find_digests(self, status: AlertStatus | None = None, limit: int = 100) -> list[Digest]:
        return self._find_ledger(Digest, "digests", status, limit)

    def save_digest(self, digest: Digest) -> None:
        self._put("digests", digest.id, digest.model_dump(mode="json"))

    # -- errors ----------------------------------------------------------------------------
    def record_error(self, error: ErrorRecord) -> None:
        """Read, merge, write back conditionally on the version read; retried when another writer won."""
        alias = self.alias("errors")
        for _ in range(_MAX_ERROR_UPDATES):
            found = self._get("errors", error.id)
            if found is None:
                guard: dict[str, Any] = {"op_type": "create"}
                merged = error
            else:
                previous = _model(ErrorRecord, found["_source"])
                guard = {"if_seq_no": found["_seq_no"], "if_primary_term": found["_primary_term"]}
                merged = error.model_copy(
                    update={"count": previous.count + error.count, "first_seen": previous.first_seen}
                )
            response = self._call(
                "index", self.client.options(ignore_status=409).index, index=alias, id=error.id,
                document=merged.model_dump(mode="json"), **guard,
            )
            if response.meta.status != 409:
                with self._lock:
                    self._dirty.add(alias)
                return
        raise StoreUnavailable(f"elasticsearch: error {error.id} kept changing under {_MAX_ERROR_UPDATES} writes")

    def find_errors(
        self, stage: Stage | None = None, since: datetime | None = None, limit: int = 100
    ) -> list[ErrorRecord]:
        filters = [*_terms(stage=stage.value if stage else None), *_range("last_seen", since, None)]
        return self._sources(ErrorRecord, "errors", _bool(filters), [{"last_seen": "desc"}, {"id": "asc"}], limit)

    # -- retention -------------------------------------------------------------------------
    def prune(self, before: datetime, keep: Collection[str] = (), *, dry_run: bool = False) -> dict[Kind, int]:
        """Ids found by search, deleted by bulk a page at a time (an article's children first).

        Not delete-by-query: that lives in the ``reindex`` module, which a cluster may not have
        (Elastic's test distribution does not), and a bulk of deletes by id is as idempotent.
        """
        kept = sorted(set(keep))
        old = {"range": {"fetched_at": {"lt": _iso(before)}}}
        kept_items = [hit["_source"]["item_id"] for hit in self._search(
            "articles", {"ids": {"values": kept}}, [{"id": "asc"}], source=["item_id"])] if kept else []
        counts: dict[Kind, int] = dict.fromkeys(PRUNED, 0)

        def drop(kind: Kind, query: dict[str, Any]) -> None:
            unique = "item_id" if kind == "pages" else "id"
            for page in self._pages(kind, query, [{unique: "asc"}], source=False):
                counts[kind] += len(page)
                if not dry_run:
                    self._bulk([self._action("delete", kind, hit["_id"]) for hit in page], tolerated=frozenset({404}))

        drop("pages", {"bool": {"filter": [old], "must_not": [{"terms": {"item_id": kept_items}}]}})
        articles = {"bool": {"filter": [old], "must_not": [{"ids": {"values": kept}}]}}
        for page in self._pages("articles", articles, [{"id": "asc"}], source=False):
            chunk = [hit["_id"] for hit in page]
            drop("mentions", {"terms": {"article_id": chunk}})
            drop("claims", {"terms": {"article_id": chunk}})
            drop("articles", {"ids": {"values": chunk}})
        drop("errors", {"range": {"last_seen": {"lt": _iso(before)}}})
        return counts
