"""Retention (pipeline/retention.py): old content goes, the ledgers and what is still owed stay.

The store's own prune is in the contract suite (both backends); here, what decides the cutoff and
the articles kept, the once-a-day prune of `newswatch run`, and the CLI over a real run of the
sample site, whose feeds still list the pruned entries afterwards.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_settings
from pipeline.digest import day_interval, digest_id
from pipeline.models import AlertStatus, ClaimQuery, Digest, EnrichedArticle, utcnow
from pipeline.retention import prune
from pipeline.runner import Pipeline
from pipeline.sample import SITE_DIR, WATCHLIST
from pipeline.sample.server import SiteServer
from pipeline.store import Store, open_store
from pipeline.store.sqlite import SqliteStore
from tests.test_store_contract import make_alert, stored_at

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "store.db")
    store.setup()
    return store


def save(store: Store, days_ago: int, slug: str) -> EnrichedArticle:
    doc, page = stored_at(slug, utcnow() - timedelta(days=days_ago))
    store.save_articles([doc])
    store.save_page(page)
    return doc


def test_the_articles_of_pending_alerts_stay_until_they_are_sent(store: SqliteStore) -> None:
    owed, sent, young = save(store, 100, "owed"), save(store, 100, "sent"), save(store, 5, "young")
    store.add_alerts([make_alert(owed.claims[0]), make_alert(sent.claims[0])])
    store.save_alert(make_alert(sent.claims[0]).model_copy(update={"status": AlertStatus.sent}))

    report = prune(store, 30)
    assert report.kept == 1 and report.counts["articles"] == 1
    assert store.get_article(sent.article.id) is None
    assert store.get_article(owed.article.id) is not None and store.get_article(young.article.id) is not None
    assert store.get_page(owed.article.item_id) is not None

    store.save_alert(make_alert(owed.claims[0]).model_copy(update={"status": AlertStatus.sent}))
    assert prune(store, 30).counts["articles"] == 1
    assert store.get_article(owed.article.id) is None


def test_a_pending_digest_moves_the_cutoff_back_to_its_day(store: SqliteStore) -> None:
    needed, older = save(store, 40, "needed"), save(store, 60, "older")
    since, until = day_interval((utcnow() - timedelta(days=40)).date())
    store.add_digests([Digest(id=digest_id("desk@example.org", since, until), recipient="desk@example.org",
                              since=since, until=until)])
    report = prune(store, 30)
    assert report.before == since
    assert store.get_article(older.article.id) is None
    assert store.find_claims(ClaimQuery(since=since, until=until))  # what the digest will recompose
    assert store.get_article(needed.article.id) is not None


def test_a_dry_run_deletes_nothing(store: SqliteStore) -> None:
    doc = save(store, 100, "old")
    report = prune(store, 30, dry_run=True)
    assert report.dry_run and report.counts == {"pages": 1, "articles": 1, "mentions": 1, "claims": 1, "errors": 0}
    assert store.get_article(doc.article.id) is not None


def test_less_than_a_day_is_refused(store: SqliteStore) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        prune(store, 0)


def test_run_prunes_once_a_day_when_retention_is_set(tmp_path: Path) -> None:
    settings = load_settings(None, data_dir=tmp_path, store={"retention_days": 30})
    with Pipeline(settings) as pipeline:
        first = save(pipeline.store, 31, "first")
        assert pipeline.run_once().articles_pruned == 1
        assert pipeline.store.get_article(first.article.id) is None
        second = save(pipeline.store, 31, "second")
        assert pipeline.run_once().articles_pruned == 0  # pruned less than a day ago
        assert pipeline.store.get_article(second.article.id) is not None
    with Pipeline(settings.model_copy(update={"store": settings.store.model_copy(
            update={"retention_days": None})})) as pipeline:
        assert pipeline.run_once().articles_pruned == 0  # no retention: nothing ever goes
        assert pipeline.store.get_article(second.article.id) is not None


def age(config: Path, days: int) -> list[str]:
    """Make every stored page of the run, and its article, look fetched ``days`` ago; the article ids."""
    settings = load_settings(config)
    store = open_store(settings)
    try:
        ids = []
        for item_id in store.page_ids():
            page, work = store.get_page(item_id), store.get_work(item_id)
            assert page is not None and work is not None
            then = page.fetched_at - timedelta(days=days)
            store.save_page(page.model_copy(update={"fetched_at": then}))
            article = store.get_article(work.article_id) if work.article_id else None
            if article is None:  # a page that gave no article (no main text: a recorded skip)
                continue
            ids.append(article.id)
            store.save_articles([EnrichedArticle(
                article=article.model_copy(update={"fetched_at": then}),
                mentions=store.find_mentions(article_id=article.id),
                claims=store.find_claims(ClaimQuery(article_id=article.id, limit=10_000)))])
        return ids
    finally:
        store.close()


def test_prune_from_the_cli_then_a_new_run_fetches_and_alerts_nothing_again(tmp_path: Path) -> None:
    with SiteServer(SITE_DIR) as site:
        config = tmp_path / "newswatch.toml"
        config.write_text(
            f'data_dir = "data"\nwatchlist = "{WATCHLIST}"\n[network]\nallow_hosts = ["127.0.0.1"]\n'
            f'[[feeds]]\nurl = "{site.url}/feeds/fr.xml"\nname = "Le Veilleur"\n',
            encoding="utf-8",
        )
        assert runner.invoke(app, ["run", "--once", "--config", str(config)]).exit_code == 0
        outbox = sorted(path.name for path in (tmp_path / "data" / "outbox").glob("*.eml"))
        assert outbox

        refused = runner.invoke(app, ["prune", "--config", str(config)])
        assert refused.exit_code != 0 and "no retention configured" in refused.output
        aged = age(config, 100)
        assert aged
        dry = runner.invoke(app, ["prune", "--config", str(config), "--older-than", "30", "--dry-run", "--json"])
        assert dry.exit_code == 0, dry.output
        assert json.loads(dry.output)["counts"]["articles"] == len(aged)
        done = runner.invoke(app, ["prune", "--config", str(config), "--older-than", "30"])
        assert done.exit_code == 0, done.output
        assert "deleted" in done.output

        again = runner.invoke(app, ["run", "--once", "--config", str(config)])
        assert again.exit_code == 0, again.output
    store = open_store(load_settings(config))
    try:
        assert store.count("articles") == 0 and store.count("pages") == 0  # nothing fetched again
        assert {alert.status for alert in store.find_alerts(limit=1000)} == {AlertStatus.sent}
    finally:
        store.close()
    assert sorted(path.name for path in (tmp_path / "data" / "outbox").glob("*.eml")) == outbox
