"""The embedded store: one SQLite file with FTS5, so newswatch runs on a laptop with nothing else.

Each record is kept whole as the model's JSON, beside the few columns that are filtered or
indexed; FTS5 (unicode61, diacritics removed) gives accent-insensitive full-text search.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import zlib
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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

SCHEMA_VERSION = 2
"""2: an article's full-text row has the article's rowid, so replacing it is a rowid lookup. In 1 it
was found by ``article_id``, an UNINDEXED column: a scan of the whole FTS table for every article
written, a cost per article that grew with the store. :meth:`SqliteStore.setup` migrates."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feed_state (feed_url TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  id TEXT PRIMARY KEY, feed_url TEXT NOT NULL, guid TEXT, status TEXT NOT NULL,
  next_attempt_at TEXT, updated_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS items_guid ON items(feed_url, guid) WHERE guid IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_status ON items(status, next_attempt_at);
CREATE TABLE IF NOT EXISTS pages (
  item_id TEXT PRIMARY KEY, fetched_at TEXT NOT NULL, url TEXT NOT NULL, final_url TEXT NOT NULL,
  status_code INTEGER NOT NULL, content_type TEXT, charset TEXT, body BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS pages_fetched ON pages(fetched_at);
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY, url TEXT NOT NULL, outlet TEXT NOT NULL, language TEXT, published TEXT,
  fetched_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
  article_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS mentions (
  id TEXT PRIMARY KEY, article_id TEXT NOT NULL, entity_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE TABLE IF NOT EXISTS claims (
  id TEXT PRIMARY KEY, article_id TEXT NOT NULL, first_seen TEXT NOT NULL, stance TEXT NOT NULL,
  language TEXT, fingerprint TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS claims_first_seen ON claims(first_seen);
CREATE INDEX IF NOT EXISTS claims_fingerprint ON claims(fingerprint);
CREATE TABLE IF NOT EXISTS claim_entities (
  claim_id TEXT NOT NULL, entity_id TEXT NOT NULL, PRIMARY KEY (claim_id, entity_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claim_entities_entity ON claim_entities(entity_id);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
  created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alerts_status ON alerts(status, created_at);
CREATE TABLE IF NOT EXISTS digests (
  id TEXT PRIMARY KEY, recipient TEXT NOT NULL, since TEXT NOT NULL, until TEXT NOT NULL, status TEXT NOT NULL,
  created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS digests_status ON digests(status, created_at);
CREATE TABLE IF NOT EXISTS errors (
  id TEXT PRIMARY KEY, stage TEXT NOT NULL, last_seen TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS errors_last_seen ON errors(last_seen);
"""

_TABLES: dict[Kind, str] = {
    "articles": "articles",
    "mentions": "mentions",
    "claims": "claims",
    "alerts": "alerts",
    "errors": "errors",
    "pages": "pages",
    "items": "items",
}


class _DryRun(Exception):
    """Raised inside a transaction to roll it back once its counts are known."""


def _ts(value: datetime | None) -> str | None:
    """ISO-8601 in UTC, so that text comparison in SQL is time comparison."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def fts_query(text: str) -> str:
    """User words to an FTS5 expression: every word required, operators taken literally."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{word}"' for word in words)


class SqliteStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"cannot open {self.path}: {exc}") from exc
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._conn = conn
        return self._conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def setup(self) -> None:
        with self._lock:
            self.conn.executescript(_SCHEMA)
            self.conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            with self._tx() as conn:  # checked inside the transaction: two processes never both migrate
                version = int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
                if version < 2:
                    conn.execute("DELETE FROM articles_fts")
                    conn.execute(
                        "INSERT INTO articles_fts(rowid, article_id, title, text) SELECT rowid, id, "
                        "COALESCE(json_extract(data, '$.title'), ''), json_extract(data, '$.text') FROM articles"
                    )
                    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- feed state ------------------------------------------------------------------------
    def get_feed_state(self, feed_url: str) -> FeedState | None:
        rows = self._rows("SELECT data FROM feed_state WHERE feed_url = ?", (feed_url,))
        return FeedState.model_validate_json(rows[0][0]) if rows else None

    def save_feed_state(self, state: FeedState) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO feed_state(feed_url, data) VALUES (?, ?) "
                "ON CONFLICT(feed_url) DO UPDATE SET data = excluded.data",
                (state.feed_url, state.model_dump_json()),
            )

    # -- work ledger -----------------------------------------------------------------------
    def add_items(self, items: Sequence[FeedItem]) -> list[FeedItem]:
        added: list[FeedItem] = []
        with self._tx() as conn:
            for item in items:
                work = WorkItem(item=item)
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO items(id, feed_url, guid, status, next_attempt_at, updated_at, data) "
                    "VALUES (?, ?, ?, ?, NULL, ?, ?)",
                    (item.id, item.feed_url, item.guid, work.status.value, _ts(work.updated_at),
                     work.model_dump_json()),
                )
                if cursor.rowcount:
                    added.append(item)
        return added

    def due_items(self, now: datetime, limit: int) -> list[WorkItem]:
        rows = self._rows(
            "SELECT data FROM items WHERE status = ? OR (status = ? AND "
            "(next_attempt_at IS NULL OR next_attempt_at <= ?)) "
            "ORDER BY CASE status WHEN ? THEN 0 ELSE 1 END, updated_at LIMIT ?",
            (ItemStatus.fetched.value, ItemStatus.pending.value, _ts(now), ItemStatus.fetched.value, limit),
        )
        return [WorkItem.model_validate_json(row[0]) for row in rows]

    def save_work(self, work: WorkItem) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO items(id, feed_url, guid, status, next_attempt_at, updated_at, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
                "next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at, data = excluded.data",
                (work.item.id, work.item.feed_url, work.item.guid, work.status.value,
                 _ts(work.next_attempt_at), _ts(work.updated_at), work.model_dump_json()),
            )

    def get_work(self, item_id: str) -> WorkItem | None:
        rows = self._rows("SELECT data FROM items WHERE id = ?", (item_id,))
        return WorkItem.model_validate_json(rows[0][0]) if rows else None

    # -- raw pages ------------------------------------------------------------------------
    def save_page(self, page: FetchedPage) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO pages(item_id, fetched_at, url, final_url, status_code, content_type, charset, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET fetched_at = excluded.fetched_at, "
                "url = excluded.url, final_url = excluded.final_url, status_code = excluded.status_code, "
                "content_type = excluded.content_type, charset = excluded.charset, body = excluded.body",
                (page.item_id, _ts(page.fetched_at), page.url, page.final_url, page.status_code,
                 page.content_type, page.charset, zlib.compress(page.body, 6)),
            )

    def get_page(self, item_id: str) -> FetchedPage | None:
        rows = self._rows(
            "SELECT item_id, fetched_at, url, final_url, status_code, content_type, charset, body "
            "FROM pages WHERE item_id = ?",
            (item_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return FetchedPage(
            item_id=row[0], fetched_at=datetime.fromisoformat(row[1]), url=row[2], final_url=row[3],
            status_code=row[4], content_type=row[5], charset=row[6], body=zlib.decompress(row[7]),
        )

    def page_ids(self, since: datetime | None = None, until: datetime | None = None) -> list[str]:
        sql, params = "SELECT item_id FROM pages WHERE 1 = 1", []
        if since:
            sql += " AND fetched_at >= ?"
            params.append(_ts(since))
        if until:
            sql += " AND fetched_at < ?"
            params.append(_ts(until))
        return [row[0] for row in self._rows(sql + " ORDER BY fetched_at, item_id", params)]

    # -- documents -------------------------------------------------------------------------
    def save_articles(self, docs: Sequence[EnrichedArticle]) -> None:
        with self._tx() as conn:
            for doc in docs:
                self._save_article(conn, doc)

    def _save_article(self, conn: sqlite3.Connection, doc: EnrichedArticle) -> None:
        article = doc.article
        conn.execute(
            "INSERT INTO articles(id, url, outlet, language, published, fetched_at, data) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET url = excluded.url, outlet = excluded.outlet, language = excluded.language, "
            "published = excluded.published, fetched_at = excluded.fetched_at, data = excluded.data",
            (article.id, article.url, article.outlet, article.language, _ts(article.published),
             _ts(article.fetched_at), article.model_dump_json()),
        )
        # The full-text row shares the article's rowid (an upsert keeps it): a lookup, never a scan.
        rowid = conn.execute("SELECT rowid FROM articles WHERE id = ?", (article.id,)).fetchone()[0]
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
        conn.execute(
            "INSERT INTO articles_fts(rowid, article_id, title, text) VALUES (?, ?, ?, ?)",
            (rowid, article.id, article.title or "", article.text),
        )
        conn.execute("DELETE FROM mentions WHERE article_id = ?", (article.id,))
        conn.executemany(
            "INSERT OR REPLACE INTO mentions(id, article_id, entity_id, data) VALUES (?, ?, ?, ?)",
            [(m.id, m.article_id, m.entity_id, m.model_dump_json()) for m in doc.mentions],
        )
        first_seen = dict(
            conn.execute("SELECT id, first_seen FROM claims WHERE article_id = ?", (article.id,)).fetchall()
        )
        conn.execute(
            "DELETE FROM claim_entities WHERE claim_id IN (SELECT id FROM claims WHERE article_id = ?)", (article.id,)
        )
        conn.execute("DELETE FROM claims WHERE article_id = ?", (article.id,))
        for fresh in doc.claims:
            claim = fresh
            if claim.id in first_seen:
                claim = claim.model_copy(update={"first_seen": datetime.fromisoformat(first_seen[claim.id])})
            conn.execute(
                "INSERT OR REPLACE INTO claims(id, article_id, first_seen, stance, language, fingerprint, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (claim.id, claim.article_id, _ts(claim.first_seen), claim.stance.value, claim.language,
                 claim.fingerprint, claim.model_dump_json()),
            )
            entities = set(claim.about) | ({claim.speaker_entity} if claim.speaker_entity else set())
            conn.executemany(
                "INSERT OR IGNORE INTO claim_entities(claim_id, entity_id) VALUES (?, ?)",
                [(claim.id, entity) for entity in sorted(entities)],
            )

    def get_article(self, article_id: str) -> Article | None:
        rows = self._rows("SELECT data FROM articles WHERE id = ?", (article_id,))
        return Article.model_validate_json(rows[0][0]) if rows else None

    def search(self, query: SearchQuery) -> list[SearchHit]:
        expression = fts_query(query.text)
        if not expression:
            return []
        sql = (
            "SELECT a.data, bm25(articles_fts) AS rank FROM articles_fts "
            "JOIN articles a ON a.id = articles_fts.article_id WHERE articles_fts MATCH ?"
        )
        params: list[object] = [expression]
        if query.language:
            sql += " AND a.language = ?"
            params.append(query.language)
        if query.since:
            sql += " AND COALESCE(a.published, a.fetched_at) >= ?"
            params.append(_ts(query.since))
        if query.until:
            sql += " AND COALESCE(a.published, a.fetched_at) < ?"
            params.append(_ts(query.until))
        if query.entity:
            sql += " AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND m.entity_id = ?)"
            params.append(query.entity)
        sql += " ORDER BY rank LIMIT ?"
        params.append(query.limit)
        hits = []
        for data, rank in self._rows(sql, params):
            article = Article.model_validate_json(data)
            hits.append(
                SearchHit(
                    article_id=article.id, title=article.title, url=article.url, outlet=article.outlet,
                    language=article.language, published=article.published, score=-float(rank),
                )
            )
        return hits

    def find_claims(self, query: ClaimQuery) -> list[Claim]:
        sql, params = "SELECT c.data FROM claims c WHERE 1 = 1", []
        if query.entity:
            sql += " AND EXISTS (SELECT 1 FROM claim_entities e WHERE e.claim_id = c.id AND e.entity_id = ?)"
            params.append(query.entity)
        if query.stance:
            sql += " AND c.stance = ?"
            params.append(query.stance.value)
        if query.language:
            sql += " AND c.language = ?"
            params.append(query.language)
        if query.article_id:
            sql += " AND c.article_id = ?"
            params.append(query.article_id)
        if query.since:
            sql += " AND c.first_seen >= ?"
            params.append(_ts(query.since))
        if query.until:
            sql += " AND c.first_seen < ?"
            params.append(_ts(query.until))
        sql += " ORDER BY c.first_seen DESC, c.article_id, json_extract(c.data, '$.start') LIMIT ?"
        params.append(query.limit)
        return [Claim.model_validate_json(row[0]) for row in self._rows(sql, params)]

    def find_mentions(self, article_id: str | None = None, entity: str | None = None) -> list[Mention]:
        sql, params = "SELECT data FROM mentions WHERE 1 = 1", []
        if article_id:
            sql += " AND article_id = ?"
            params.append(article_id)
        if entity:
            sql += " AND entity_id = ?"
            params.append(entity)
        mentions = [Mention.model_validate_json(row[0]) for row in self._rows(sql, params)]
        return sorted(mentions, key=lambda m: (m.article_id, m.start, m.entity_id))

    def count(self, kind: Kind) -> int:
        return int(self._rows(f"SELECT COUNT(*) FROM {_TABLES[kind]}")[0][0])

    # -- alert and digest ledgers ---------------------------------------------------------
    # The digests table is created by setup() with IF NOT EXISTS, so a store written before
    # digests existed gains it at its next start; the schema version does not change.
    def _write_ledger(self, table: str, rows: Sequence[dict[str, Any]], *, update: bool) -> list[bool]:
        """Insert ledger rows; whether each was new. An existing id is left alone (``update`` off:
        the guard that makes an entry owed once) or gets its status and data replaced."""
        if not rows:
            return []
        columns = list(rows[0])
        sql = (f"INSERT {'' if update else 'OR IGNORE '}INTO {table}({', '.join(columns)}) "
               f"VALUES ({', '.join('?' * len(columns))})")
        if update:
            sql += " ON CONFLICT(id) DO UPDATE SET status = excluded.status, data = excluded.data"
        with self._tx() as conn:
            return [bool(conn.execute(sql, tuple(row.values())).rowcount) for row in rows]

    def _find_ledger(self, model: type[Ledgered], table: str, status: AlertStatus | None,
                     limit: int) -> list[Ledgered]:
        sql, params = f"SELECT data FROM {table}", []
        if status:
            sql += " WHERE status = ?"
            params.append(status.value)
        sql += " ORDER BY created_at, id LIMIT ?"
        params.append(limit)
        return [model.model_validate_json(row[0]) for row in self._rows(sql, params)]

    @staticmethod
    def _alert_row(alert: Alert) -> dict[str, Any]:
        return {"id": alert.id, "rule_id": alert.rule_id, "fingerprint": alert.fingerprint,
                "status": alert.status.value, "created_at": _ts(alert.created_at), "data": alert.model_dump_json()}

    @staticmethod
    def _digest_row(digest: Digest) -> dict[str, Any]:
        return {"id": digest.id, "recipient": digest.recipient, "since": _ts(digest.since),
                "until": _ts(digest.until), "status": digest.status.value, "created_at": _ts(digest.created_at),
                "data": digest.model_dump_json()}

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        new = self._write_ledger("alerts", [self._alert_row(alert) for alert in alerts], update=False)
        return [alert for alert, added in zip(alerts, new, strict=True) if added]

    def find_alerts(self, status: AlertStatus | None = None, limit: int = 100) -> list[Alert]:
        return self._find_ledger(Alert, "alerts", status, limit)

    def save_alert(self, alert: Alert) -> None:
        self._write_ledger("alerts", [self._alert_row(alert)], update=True)

    def add_digests(self, digests: Sequence[Digest]) -> list[Digest]:
        new = self._write_ledger("digests", [self._digest_row(digest) for digest in digests], update=False)
        return [digest for digest, added in zip(digests, new, strict=True) if added]

    def find_digests(self, status: AlertStatus | None = None, limit: int = 100) -> list[Digest]:
        return self._find_ledger(Digest, "digests", status, limit)

    def save_digest(self, digest: Digest) -> None:
        self._write_ledger("digests", [self._digest_row(digest)], update=True)

    # -- errors ----------------------------------------------------------------------------
    def record_error(self, error: ErrorRecord) -> None:
        with self._tx() as conn:
            rows = conn.execute("SELECT data FROM errors WHERE id = ?", (error.id,)).fetchall()
            if rows:
                previous = ErrorRecord.model_validate_json(rows[0][0])
                error = error.model_copy(
                    update={"count": previous.count + error.count, "first_seen": previous.first_seen}
                )
            conn.execute(
                "INSERT INTO errors(id, stage, last_seen, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET stage = excluded.stage, last_seen = excluded.last_seen, "
                "data = excluded.data",
                (error.id, error.stage.value, _ts(error.last_seen), error.model_dump_json()),
            )

    def find_errors(
        self, stage: Stage | None = None, since: datetime | None = None, limit: int = 100
    ) -> list[ErrorRecord]:
        sql, params = "SELECT data FROM errors WHERE 1 = 1", []
        if stage:
            sql += " AND stage = ?"
            params.append(stage.value)
        if since:
            sql += " AND last_seen >= ?"
            params.append(_ts(since))
        sql += " ORDER BY last_seen DESC, id LIMIT ?"
        params.append(limit)
        return [ErrorRecord.model_validate_json(row[0]) for row in self._rows(sql, params)]

    # -- retention -------------------------------------------------------------------------
    def prune(self, before: datetime, keep: Collection[str] = (), *, dry_run: bool = False) -> dict[Kind, int]:
        """One transaction; a dry run is the same deletes rolled back, so its counts are exact."""
        cutoff, kept = _ts(before), json.dumps(sorted(set(keep)))
        doomed = "SELECT id FROM articles WHERE fetched_at < ? AND id NOT IN (SELECT value FROM json_each(?))"
        counts: dict[Kind, int] = dict.fromkeys(PRUNED, 0)
        try:
            with self._tx() as conn:
                counts["pages"] = conn.execute(
                    "DELETE FROM pages WHERE fetched_at < ? AND item_id NOT IN (SELECT json_extract(data, "
                    "'$.item_id') FROM articles WHERE id IN (SELECT value FROM json_each(?)))", (cutoff, kept),
                ).rowcount
                conn.execute(f"DELETE FROM claim_entities WHERE claim_id IN (SELECT id FROM claims WHERE "
                             f"article_id IN ({doomed}))", (cutoff, kept))
                counts["claims"] = conn.execute(f"DELETE FROM claims WHERE article_id IN ({doomed})",
                                                (cutoff, kept)).rowcount
                counts["mentions"] = conn.execute(f"DELETE FROM mentions WHERE article_id IN ({doomed})",
                                                  (cutoff, kept)).rowcount
                conn.execute(f"DELETE FROM articles_fts WHERE rowid IN (SELECT rowid FROM articles WHERE id IN "
                             f"({doomed}))", (cutoff, kept))
                counts["articles"] = conn.execute(f"DELETE FROM articles WHERE id IN ({doomed})",
                                                  (cutoff, kept)).rowcount
                counts["errors"] = conn.execute("DELETE FROM errors WHERE last_seen < ?", (cutoff,)).rowcount
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return counts
