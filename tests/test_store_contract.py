"""One contract, two backends: every test runs against SQLite and against the real Elasticsearch node.

The SQLite store is the reference behaviour; a test that passes on one backend and fails on the
other is a bug in the backend, not a reason to branch the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.config import ElasticsearchSettings
from pipeline.digest import day_interval, digest_id
from pipeline.ids import alert_id, article_id, claim_id, error_id, item_id, mention_id, stable_id
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
    MatchMethod,
    Mention,
    SearchQuery,
    Stage,
    Stance,
    WorkItem,
)
from pipeline.store.base import Kind, Store
from pipeline.store.sqlite import SqliteStore

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
FEED = "https://news.example/feed.xml"


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.es)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    backend: Store
    if request.param == "sqlite":
        backend = SqliteStore(tmp_path / "store.db")
    else:
        from pipeline.store.elasticsearch import ElasticsearchStore

        settings = ElasticsearchSettings(
            hosts=[request.getfixturevalue("es_url")], index_prefix=request.getfixturevalue("es_prefix")
        )
        backend = ElasticsearchStore(settings)
    backend.setup()
    yield backend
    backend.close()


# --------------------------------------------------------------------------- builders


def now_plus(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def make_article(slug: str, title: str, text: str, *, language: str = "fr", outlet: str = "lemonde.fr",
                 published: datetime | None = T0) -> Article:
    url = f"https://{outlet}/{slug}"
    return Article(
        id=article_id(url), url=url, item_id=item_id(url), feed_url=FEED, outlet=outlet, title=title, text=text,
        language=language, published=published, fetched_at=T0, processed_at=T0,
    )


def make_mention(article: Article, entity: str, start: int) -> Mention:
    return Mention(
        id=mention_id(article.id, entity, start, start + 6), article_id=article.id, entity_id=entity,
        surface=entity.title(), start=start, end=start + 6, method=MatchMethod.exact,
    )


def make_claim(article: Article, start: int, *, about: tuple[str, ...] = ("acme",), stance: Stance = Stance.denial,
               speaker_entity: str | None = None, first_seen: datetime = T0) -> Claim:
    return Claim(
        id=claim_id(article.id, start, start + 40), article_id=article.id, start=start, end=start + 40,
        text=f"claim at {start}", speaker="un porte-parole", speaker_entity=speaker_entity, cue="démentir",
        stance=stance, about=list(about), fingerprint=stable_id("fp", article.id, start), language=article.language,
        outlet=article.outlet, url=article.url, title=article.title, published=article.published,
        first_seen=first_seen,
    )


def make_item(link: str, *, guid: str | None = None, feed: str = FEED) -> FeedItem:
    return FeedItem(id=item_id(link), feed_url=feed, feed_name="Example", link=link, guid=guid, discovered_at=T0)


def make_alert(claim: Claim, *, rule: str = "new-claims", created_at: datetime = T0) -> Alert:
    return Alert(
        id=alert_id(rule, claim.fingerprint), rule_id=rule, fingerprint=claim.fingerprint, claim_id=claim.id,
        article_id=claim.article_id, entity_ids=claim.about, stance=claim.stance, created_at=created_at,
    )


def make_error(subject: str, *, stage: Stage = Stage.page, at: datetime = T0) -> ErrorRecord:
    return ErrorRecord(
        id=error_id(stage.value, "timeout", subject), stage=stage, kind="timeout", message=f"{subject} timed out",
        url=subject, terminal=False, first_seen=at, last_seen=at,
    )


def make_page(link: str, *, at: datetime = T0, body: bytes = b"<html>caf\xc3\xa9</html>") -> FetchedPage:
    return FetchedPage(item_id=item_id(link), url=link, final_url=link, status_code=200,
                       content_type="text/html", charset="utf-8", body=body, fetched_at=at)


ELYSEE = make_article(
    "elysee", "L'Élysée dément les accusations", "Le porte-parole a démenti toute irrégularité dans le contrat.",
)
MINISTER = make_article(
    "minister", "Minister denies report", "The minister denied the allegations about the contract.",
    language="en", outlet="bbc.co.uk", published=T0 + timedelta(days=2),
)


# --------------------------------------------------------------------------- setup and counts


def test_setup_is_idempotent_and_starts_empty(store: Store) -> None:
    store.setup()
    kinds: list[Kind] = ["articles", "mentions", "claims", "alerts", "errors", "pages", "items"]
    assert {kind: store.count(kind) for kind in kinds} == dict.fromkeys(kinds, 0)


def test_counts_follow_every_kind_of_write(store: Store) -> None:
    claim = make_claim(ELYSEE, 0)
    store.save_articles([EnrichedArticle(article=ELYSEE, mentions=[make_mention(ELYSEE, "acme", 3)], claims=[claim])])
    store.add_items([make_item("https://lemonde.fr/a"), make_item("https://lemonde.fr/b")])
    store.save_page(make_page("https://lemonde.fr/a"))
    store.add_alerts([make_alert(claim)])
    store.record_error(make_error("https://lemonde.fr/b"))
    kinds: list[Kind] = ["articles", "mentions", "claims", "alerts", "errors", "pages", "items"]
    assert {kind: store.count(kind) for kind in kinds} == {
        "articles": 1, "mentions": 1, "claims": 1, "alerts": 1, "errors": 1, "pages": 1, "items": 2,
    }


# --------------------------------------------------------------------------- articles, mentions, claims


def test_saving_the_same_article_twice_changes_nothing(store: Store) -> None:
    doc = EnrichedArticle(
        article=ELYSEE,
        mentions=[make_mention(ELYSEE, "acme", 3), make_mention(ELYSEE, "dupont", 20)],
        claims=[make_claim(ELYSEE, 0), make_claim(ELYSEE, 50)],
    )
    store.save_articles([doc])
    store.save_articles([doc])
    assert (store.count("articles"), store.count("mentions"), store.count("claims")) == (1, 2, 2)
    assert store.get_article(ELYSEE.id) == ELYSEE


def test_resaving_replaces_stale_mentions_and_claims(store: Store) -> None:
    kept, dropped, added = make_claim(ELYSEE, 0), make_claim(ELYSEE, 50), make_claim(ELYSEE, 100)
    store.save_articles([EnrichedArticle(
        article=ELYSEE, mentions=[make_mention(ELYSEE, "acme", 3), make_mention(ELYSEE, "dupont", 20)],
        claims=[kept, dropped],
    )])
    store.save_articles([
        EnrichedArticle(article=ELYSEE, mentions=[make_mention(ELYSEE, "acme", 3)], claims=[kept, added]),
    ])
    assert [c.id for c in store.find_claims(ClaimQuery(article_id=ELYSEE.id))] == [kept.id, added.id]
    assert [m.entity_id for m in store.find_mentions(article_id=ELYSEE.id)] == ["acme"]
    assert store.find_mentions(entity="dupont") == []
    assert (store.count("mentions"), store.count("claims")) == (1, 2)


def test_a_claim_keeps_its_first_seen_across_reprocessing(store: Store) -> None:
    original = make_claim(ELYSEE, 0, first_seen=T0)
    store.save_articles([EnrichedArticle(article=ELYSEE, claims=[original])])
    reprocessed = original.model_copy(update={"first_seen": T0 + timedelta(days=5), "text": "reworded"})
    newcomer = make_claim(ELYSEE, 50, first_seen=T0 + timedelta(days=5))
    store.save_articles([EnrichedArticle(article=ELYSEE, claims=[reprocessed, newcomer])])
    found = {c.id: c for c in store.find_claims(ClaimQuery(article_id=ELYSEE.id))}
    assert found[original.id].first_seen == T0
    assert found[original.id].text == "reworded"
    assert found[newcomer.id].first_seen == T0 + timedelta(days=5)


def test_a_batch_of_several_articles_is_saved_at_once(store: Store) -> None:
    store.save_articles([
        EnrichedArticle(article=ELYSEE, claims=[make_claim(ELYSEE, 0)]),
        EnrichedArticle(article=MINISTER, claims=[make_claim(MINISTER, 0), make_claim(MINISTER, 60)]),
    ])
    assert store.count("articles") == 2
    assert len(store.find_claims(ClaimQuery(article_id=MINISTER.id))) == 2
    assert store.get_article("no-such-article") is None


def test_find_mentions_by_article_and_entity_in_text_order(store: Store) -> None:
    store.save_articles([
        EnrichedArticle(article=ELYSEE, mentions=[make_mention(ELYSEE, "dupont", 40), make_mention(ELYSEE, "acme", 3)]),
        EnrichedArticle(article=MINISTER, mentions=[make_mention(MINISTER, "acme", 10)]),
    ])
    assert [(m.entity_id, m.start) for m in store.find_mentions(article_id=ELYSEE.id)] == [("acme", 3), ("dupont", 40)]
    assert {m.article_id for m in store.find_mentions(entity="acme")} == {ELYSEE.id, MINISTER.id}
    assert len(store.find_mentions()) == 3


# --------------------------------------------------------------------------- full-text search


def _index_search_corpus(store: Store) -> None:
    store.save_articles([
        EnrichedArticle(article=ELYSEE, mentions=[make_mention(ELYSEE, "acme", 3)]),
        EnrichedArticle(article=MINISTER, mentions=[make_mention(MINISTER, "dupont", 3)]),
    ])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("elysee", [ELYSEE.id]),  # accents folded, and the elision "L'" split off
        ("ÉLYSÉE", [ELYSEE.id]),
        ("dementi irregularite", [ELYSEE.id]),
        ("élysée contrat", [ELYSEE.id]),  # words may come from the title and the text
        ("contract", [MINISTER.id]),
        ("contrat banane", []),  # every word is required
        ("démentir", []),  # no stemming: the standard analyzer on both sides
        ("?!", []),
        ("", []),
    ],
)
def test_search_is_case_and_accent_insensitive_and_requires_every_word(
    store: Store, text: str, expected: list[str]
) -> None:
    _index_search_corpus(store)
    assert [hit.article_id for hit in store.search(SearchQuery(text=text))] == expected


def test_search_hits_carry_the_article_and_rank_the_better_match_first(store: Store) -> None:
    focused = make_article("focus", "Contract, contract", "The contract of the contract.", language="en")
    store.save_articles([EnrichedArticle(article=MINISTER), EnrichedArticle(article=focused)])
    hits = store.search(SearchQuery(text="contract"))
    assert [hit.article_id for hit in hits] == [focused.id, MINISTER.id]
    assert hits[0].score > hits[1].score
    assert (hits[1].title, hits[1].url, hits[1].outlet, hits[1].language, hits[1].published) == (
        MINISTER.title, MINISTER.url, MINISTER.outlet, MINISTER.language, MINISTER.published,
    )


def test_search_filters_by_language_entity_and_time(store: Store) -> None:
    french = make_article("fr", "Budget", "Le budget est voté.", published=T0)
    english = make_article("en", "Budget", "The budget passed.", language="en", published=T0 + timedelta(days=2))
    undated = make_article("undated", "Budget", "Budget talks.", language="en", published=None)  # fetched at T0
    store.save_articles([
        EnrichedArticle(article=french, mentions=[make_mention(french, "acme", 3)]),
        EnrichedArticle(article=english, mentions=[make_mention(english, "dupont", 3)]),
        EnrichedArticle(article=undated),
    ])

    def ids(**filters: object) -> set[str]:
        return {hit.article_id for hit in store.search(SearchQuery.model_validate({"text": "budget", **filters}))}

    assert ids() == {french.id, english.id, undated.id}
    assert ids(language="fr") == {french.id}
    assert ids(entity="dupont") == {english.id}
    # An article without a publication date is placed at its fetch time.
    assert ids(since=T0 + timedelta(days=1)) == {english.id}
    assert ids(until=T0 + timedelta(days=1)) == {french.id, undated.id}
    assert ids(since=T0, until=T0 + timedelta(seconds=1)) == {french.id, undated.id}
    assert ids(until=T0) == set()
    assert len(store.search(SearchQuery(text="budget", limit=2))) == 2


# --------------------------------------------------------------------------- claims queries


def test_find_claims_filters_and_orders_newest_first(store: Store) -> None:
    old = make_claim(ELYSEE, 0, about=("acme",), stance=Stance.denial, first_seen=T0)
    spoken = make_claim(ELYSEE, 50, about=(), speaker_entity="dupont", stance=Stance.accusation,
                        first_seen=T0 + timedelta(hours=1))
    recent = make_claim(MINISTER, 0, about=("acme", "dupont"), stance=Stance.denial, first_seen=T0 + timedelta(days=1))
    store.save_articles([
        EnrichedArticle(article=ELYSEE, claims=[old, spoken]), EnrichedArticle(article=MINISTER, claims=[recent]),
    ])

    def ids(**filters: object) -> list[str]:
        return [c.id for c in store.find_claims(ClaimQuery.model_validate(filters))]

    assert ids() == [recent.id, spoken.id, old.id]
    assert ids(entity="acme") == [recent.id, old.id]
    assert ids(entity="dupont") == [recent.id, spoken.id]  # the speaker counts as well as "about"
    assert ids(stance=Stance.accusation) == [spoken.id]
    assert ids(language="en") == [recent.id]
    assert ids(article_id=ELYSEE.id) == [spoken.id, old.id]
    assert ids(since=T0 + timedelta(hours=1)) == [recent.id, spoken.id]
    assert ids(until=T0 + timedelta(hours=1)) == [old.id]
    assert ids(limit=2) == [recent.id, spoken.id]
    assert store.find_claims(ClaimQuery(article_id=ELYSEE.id))[1] == old


def test_claims_first_seen_together_are_ordered_by_article_then_position(store: Store) -> None:
    claims = [make_claim(ELYSEE, 80), make_claim(ELYSEE, 0), make_claim(ELYSEE, 40)]
    store.save_articles([EnrichedArticle(article=ELYSEE, claims=claims)])
    assert [c.start for c in store.find_claims(ClaimQuery())] == [0, 40, 80]


# --------------------------------------------------------------------------- work ledger


def test_add_items_inserts_only_unseen_ids(store: Store) -> None:
    first, second = make_item("https://lemonde.fr/a"), make_item("https://lemonde.fr/b")
    assert store.add_items([first, second, first]) == [first, second]
    assert store.add_items([first, make_item("https://lemonde.fr/c")]) == [make_item("https://lemonde.fr/c")]
    assert store.count("items") == 3


def test_add_items_treats_a_known_guid_of_the_same_feed_as_seen(store: Store) -> None:
    original = make_item("https://lemonde.fr/a", guid="urn:1")
    moved = make_item("https://lemonde.fr/a-renamed", guid="urn:1")  # new link, same entry
    elsewhere = make_item("https://other.example/a", guid="urn:1", feed="https://other.example/rss")
    assert store.add_items([original]) == [original]
    assert store.add_items([moved, elsewhere]) == [elsewhere]
    assert store.get_work(moved.id) is None
    twin_a, twin_b = make_item("https://lemonde.fr/x", guid="urn:2"), make_item("https://lemonde.fr/y", guid="urn:2")
    assert store.add_items([twin_a, twin_b]) == [twin_a]
    assert store.count("items") == 3


def test_a_known_item_seen_again_keeps_its_guid_guarded(store: Store) -> None:
    """An item stored without its (feed, GUID) guard, as a crash between the two writes leaves it
    in Elasticsearch (save_work writes the item alone), gets the guard back when the feed lists
    the entry again: the same entry under a new link is still seen."""
    original = make_item("https://lemonde.fr/a", guid="urn:1")
    moved = make_item("https://lemonde.fr/a-renamed", guid="urn:1")
    store.save_work(WorkItem(item=original))
    assert store.add_items([original]) == []
    assert store.add_items([moved]) == []
    assert store.get_work(moved.id) is None


def test_new_items_are_pending_work(store: Store) -> None:
    item = make_item("https://lemonde.fr/a")
    store.add_items([item])
    work = store.get_work(item.id)
    assert work is not None
    assert (work.item, work.status, work.attempts) == (item, ItemStatus.pending, 0)
    assert store.get_work("unknown") is None


def test_due_items_puts_fetched_first_and_waits_for_retry_times(store: Store) -> None:
    now = T0 + timedelta(hours=1)
    links = ["pending", "fetched", "later", "retry", "done", "skipped"]
    items = {name: make_item(f"https://lemonde.fr/{name}") for name in links}
    store.add_items(list(items.values()))
    updates = {
        "fetched": {"status": ItemStatus.fetched},
        "later": {"next_attempt_at": now + timedelta(minutes=5), "attempts": 1},
        "retry": {"next_attempt_at": now - timedelta(minutes=5), "attempts": 1},
        "done": {"status": ItemStatus.done, "article_id": "a"},
        "skipped": {"status": ItemStatus.skipped, "last_error": "gone"},
    }
    for offset, (name, update) in enumerate(updates.items()):
        store.save_work(WorkItem(item=items[name], updated_at=T0 + timedelta(seconds=offset), **update))
    due = store.due_items(now, limit=10)
    assert [work.item.id for work in due][:1] == [items["fetched"].id]
    assert {work.item.id for work in due} == {items["fetched"].id, items["pending"].id, items["retry"].id}
    assert len(store.due_items(now, limit=2)) == 2
    assert store.due_items(now, limit=1)[0].status == ItemStatus.fetched
    retried = store.get_work(items["retry"].id)
    assert retried is not None
    assert (retried.attempts, retried.next_attempt_at) == (1, now - timedelta(minutes=5))


# --------------------------------------------------------------------------- feed state and pages


def test_feed_state_round_trip(store: Store) -> None:
    assert store.get_feed_state(FEED) is None
    state = FeedState(feed_url=FEED, etag='W/"abc"', last_modified="Sat, 01 Mar 2025 08:00:00 GMT",
                      last_polled=T0, last_status=200)
    store.save_feed_state(state)
    assert store.get_feed_state(FEED) == state
    failed = state.model_copy(update={"last_status": 503, "last_error": "unavailable", "last_polled": now_plus(1)})
    store.save_feed_state(failed)
    assert store.get_feed_state(FEED) == failed


def test_raw_pages_come_back_byte_for_byte(store: Store) -> None:
    body = os.urandom(200_000) + "é\x00\xff".encode()
    page = make_page("https://lemonde.fr/a", body=body)
    store.save_page(page)
    assert store.get_page(page.item_id) == page
    replaced = make_page("https://lemonde.fr/a", body=b"second fetch", at=now_plus(1))
    store.save_page(replaced)
    assert store.get_page(page.item_id) == replaced
    assert store.get_page("unknown") is None
    assert store.count("pages") == 1


def test_page_ids_walk_a_time_window_oldest_first(store: Store) -> None:
    pages = [make_page(f"https://lemonde.fr/{n}", at=now_plus(n)) for n in (2, 0, 1)]
    for page in pages:
        store.save_page(page)
    oldest_first = [pages[1].item_id, pages[2].item_id, pages[0].item_id]
    assert store.page_ids() == oldest_first
    assert store.page_ids(since=now_plus(1)) == oldest_first[1:]
    assert store.page_ids(until=now_plus(1)) == oldest_first[:1]
    assert store.page_ids(since=now_plus(1), until=now_plus(2)) == oldest_first[1:2]


# --------------------------------------------------------------------------- alert ledger


def test_add_alerts_inserts_each_fingerprint_once_per_rule(store: Store) -> None:
    claim = make_claim(ELYSEE, 0)
    alert = make_alert(claim)
    assert store.add_alerts([alert, alert]) == [alert]
    # The same claim reported by another outlet has the same fingerprint: not new for the rule.
    echo = make_alert(claim.model_copy(update={"id": "elsewhere", "outlet": "bbc.co.uk"}))
    other_rule = make_alert(claim, rule="acme-denials")
    assert store.add_alerts([echo, other_rule]) == [other_rule]
    assert store.count("alerts") == 2


def test_alert_ledger_status_transitions(store: Store) -> None:
    first, second, third = (make_alert(make_claim(ELYSEE, start), created_at=now_plus(hours))
                            for start, hours in ((0, 2), (50, 0), (100, 1)))
    store.add_alerts([first, second, third])
    assert [a.id for a in store.find_alerts(AlertStatus.pending)] == [second.id, third.id, first.id]
    assert len(store.find_alerts(limit=2)) == 2

    sent = second.model_copy(update={"status": AlertStatus.sent, "attempts": 1, "sent_at": now_plus(3)})
    failed = third.model_copy(update={"status": AlertStatus.failed, "attempts": 1, "last_error": "550 no such user"})
    store.save_alert(sent)
    store.save_alert(failed)
    assert store.find_alerts(AlertStatus.pending) == [first]
    assert store.find_alerts(AlertStatus.sent) == [sent]
    assert store.find_alerts(AlertStatus.failed) == [failed]
    assert store.add_alerts([second]) == []  # a sent alert is never queued again
    assert store.find_alerts(AlertStatus.sent) == [sent]


# --------------------------------------------------------------------------- errors


def test_a_repeated_error_is_counted_not_duplicated(store: Store) -> None:
    store.record_error(make_error("https://lemonde.fr/a", at=T0))
    store.record_error(make_error("https://lemonde.fr/a", at=now_plus(1)))
    store.record_error(make_error("https://lemonde.fr/a", at=now_plus(2)))
    [error] = store.find_errors()
    assert (error.count, error.first_seen, error.last_seen) == (3, T0, now_plus(2))
    assert store.count("errors") == 1


def test_find_errors_filters_by_stage_and_time_most_recent_first(store: Store) -> None:
    page_error = make_error("https://lemonde.fr/a", at=T0)
    feed_error = make_error(FEED, stage=Stage.feed, at=now_plus(2))
    extract_error = make_error("https://lemonde.fr/b", stage=Stage.extract, at=now_plus(1))
    for error in (page_error, feed_error, extract_error):
        store.record_error(error)
    assert [e.id for e in store.find_errors()] == [feed_error.id, extract_error.id, page_error.id]
    assert store.find_errors(stage=Stage.feed) == [feed_error]
    assert [e.id for e in store.find_errors(since=now_plus(1))] == [feed_error.id, extract_error.id]
    assert len(store.find_errors(limit=1)) == 1


DIGEST_DAY = date(2025, 3, 1)
DIGEST_SINCE, DIGEST_UNTIL = day_interval(DIGEST_DAY)
DESK, LEGAL = "desk@example.org", "legal@example.org"


def make_digest(recipient: str, day: date = DIGEST_DAY, *, created_at: datetime | None = None) -> Digest:
    since, until = day_interval(day)
    return Digest(id=digest_id(recipient, since, until), recipient=recipient, since=since, until=until,
                  claim_count=3, created_at=created_at or since)


def test_add_digests_inserts_each_recipient_and_interval_once(store: Store) -> None:
    first = make_digest(DESK)
    assert store.add_digests([first, first]) == [first]
    # The same id: recipients compare case-insensitively.
    same_day_again = make_digest(DESK.upper(), created_at=DIGEST_SINCE + timedelta(hours=5))
    assert same_day_again.id == first.id
    other_day, other_person = make_digest(DESK, DIGEST_DAY + timedelta(days=1)), make_digest(LEGAL)
    assert store.add_digests([same_day_again, other_day, other_person]) == [other_day, other_person]
    assert len(store.find_digests()) == 3


def test_digest_ledger_status_transitions(store: Store) -> None:
    early, late, middle = (make_digest(r, created_at=DIGEST_SINCE + timedelta(hours=h))
                           for r, h in ((DESK, 1), (LEGAL, 9), ("x@example.org", 4)))
    store.add_digests([late, early, middle])
    assert store.find_digests(AlertStatus.pending) == [early, middle, late]  # oldest first
    assert len(store.find_digests(limit=2)) == 2
    sent = early.model_copy(update={"status": AlertStatus.sent, "attempts": 1, "subject": "s",
                                    "sent_at": DIGEST_UNTIL + timedelta(minutes=3)})
    failed = late.model_copy(update={"status": AlertStatus.failed, "attempts": 1, "last_error": "550 no such user"})
    store.save_digest(sent)
    store.save_digest(failed)
    assert store.find_digests(AlertStatus.pending) == [middle]
    assert store.find_digests(AlertStatus.sent) == [sent]
    assert store.find_digests(AlertStatus.failed) == [failed]
    assert store.add_digests([early]) == []  # a sent digest is never queued again
    assert store.find_digests(AlertStatus.sent) == [sent]


# --------------------------------------------------------------------------- retention


def stored_at(slug: str, at: datetime) -> tuple[EnrichedArticle, FetchedPage]:
    """An article fetched at ``at``, with a mention, a claim and its raw page."""
    article = make_article(slug, f"Titre {slug}", f"Le contrat {slug} est contesté.").model_copy(
        update={"fetched_at": at})
    doc = EnrichedArticle(article=article, mentions=[make_mention(article, "acme", 3)],
                          claims=[make_claim(article, 0, first_seen=at)])
    return doc, make_page(article.url, at=at)


def test_prune_deletes_old_content_and_keeps_ledgers_and_what_is_kept(store: Store) -> None:
    old, owed, recent = (stored_at(slug, at) for slug, at in
                         (("ancien", T0), ("du", T0 + timedelta(hours=1)), ("frais", now_plus(24 * 40))))
    for doc, page in (old, owed, recent):
        store.save_articles([doc])
        store.save_page(page)
        store.add_items([make_item(doc.article.url)])
    store.add_alerts([make_alert(old[0].claims[0])])
    store.record_error(make_error("https://lemonde.fr/ancien", at=T0))
    store.record_error(make_error("https://lemonde.fr/frais", at=now_plus(24 * 40)))
    before = now_plus(24 * 30)
    kinds: list[Kind] = ["pages", "articles", "mentions", "claims", "errors", "items", "alerts"]
    counts = {kind: store.count(kind) for kind in kinds}

    # A dry run counts exactly what the prune deletes, and deletes nothing.
    expected = {"pages": 1, "articles": 1, "mentions": 1, "claims": 1, "errors": 1}
    assert store.prune(before, keep=[owed[0].article.id], dry_run=True) == expected
    assert {kind: store.count(kind) for kind in kinds} == counts

    assert store.prune(before, keep=[owed[0].article.id]) == expected
    assert store.get_article(old[0].article.id) is None and store.get_page(old[1].item_id) is None
    assert store.find_claims(ClaimQuery(article_id=old[0].article.id)) == []
    assert store.find_mentions(article_id=old[0].article.id) == []
    assert store.search(SearchQuery(text="ancien")) == []  # no full-text row left behind
    assert [e.url for e in store.find_errors()] == ["https://lemonde.fr/frais"]
    for doc, page in (owed, recent):  # kept by the caller, and younger than the cutoff
        assert store.get_article(doc.article.id) == doc.article
        assert store.get_page(page.item_id) == page
        assert len(store.find_claims(ClaimQuery(article_id=doc.article.id))) == 1
    assert [hit.article_id for hit in store.search(SearchQuery(text="frais"))] == [recent[0].article.id]
    # The ledgers stay: the item is still known (a feed listing it again adds nothing), the alert too.
    assert (store.count("items"), store.count("alerts")) == (3, 1)
    assert store.add_items([make_item(old[0].article.url)]) == []
    assert store.add_alerts([make_alert(old[0].claims[0])]) == []

    # Idempotent: nothing left to delete; without the keep, the owed article goes too.
    assert store.prune(before, keep=[owed[0].article.id]) == dict.fromkeys(expected, 0)
    assert store.prune(before) == {"pages": 1, "articles": 1, "mentions": 1, "claims": 1, "errors": 0}
    assert store.get_article(recent[0].article.id) == recent[0].article
