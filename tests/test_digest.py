"""The daily digest (pipeline/digest.py) and its ledger, without Airflow: claims written straight to a
real SQLite store, emails received by a real SMTP server (aiosmtpd) or written to the outbox.

The ledger's protocol-level tests live in tests/test_store_contract.py (both backends).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.alert.channels import OutboxChannel
from pipeline.cli import app
from pipeline.config import Settings
from pipeline.digest import DigestComposer, day_interval, digest_id, period_label, plan_digests, run_digest
from pipeline.ids import article_id, claim_id, item_id, stable_id
from pipeline.models import AlertStatus, Article, Claim, Digest, EnrichedArticle, Stance
from pipeline.store.base import Store
from pipeline.store.sqlite import SqliteStore
from tests.conftest import make_settings
from tests.plugins.smtp import SmtpServer

DAY = date(2025, 3, 1)
SINCE, UNTIL = day_interval(DAY)
WATCHLIST_YAML = """\
- {id: acme, name: Acme Corp, type: organization}
- {id: jane, name: Jane Roe, type: person}
- {id: zorg, name: Zorg Industries, type: organization}
"""
DESK, LEGAL = "desk@example.org", "legal@example.org"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    backend = SqliteStore(tmp_path / "store.db")
    backend.setup()
    yield backend
    backend.close()


# --------------------------------------------------------------------------- the ledger
# (the protocol-level ledger tests are in tests/test_store_contract.py, run on both backends)


def test_the_digest_table_is_added_to_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = SqliteStore(path)
    old.setup()
    old.conn.execute("DROP TABLE digests")  # a store created before digests existed
    old.close()
    reopened = SqliteStore(path)
    reopened.setup()
    since, until = day_interval(DAY)
    digest = Digest(id=digest_id(DESK, since, until), recipient=DESK, since=since, until=until)
    assert reopened.add_digests([digest]) == [digest]
    reopened.close()


# --------------------------------------------------------------------------- composing


def make_article(slug: str, outlet: str = "lemonde.fr") -> Article:
    url = f"https://{outlet}/{slug}"
    return Article(id=article_id(url), url=url, item_id=item_id(url), feed_url="https://x/feed", outlet=outlet,
                   title=f"Title of {slug}", text="." * 400, language="fr", published=SINCE)


def make_claim(article: Article, start: int, text: str, *, about: tuple[str, ...], stance: Stance,
               first_seen: datetime, speaker_entity: str | None = None, fingerprint: str | None = None) -> Claim:
    return Claim(
        id=claim_id(article.id, start, start + 10), article_id=article.id, start=start, end=start + 10, text=text,
        speaker="un porte-parole", speaker_entity=speaker_entity, cue="dire", stance=stance, about=list(about),
        fingerprint=fingerprint or stable_id("fp", article.id, start), language="fr", outlet=article.outlet,
        url=article.url, title=article.title, published=article.published, first_seen=first_seen,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(WATCHLIST_YAML, encoding="utf-8")
    return make_settings(tmp_path, watchlist=str(watchlist), rules=[
        {"id": "all", "recipients": [DESK]},
        {"id": "acme-denials", "entities": ["acme"], "stances": ["denial"], "recipients": [LEGAL]},
    ])


@pytest.fixture
def day_of_claims(store: Store) -> dict[str, Claim]:
    """Claims about watched entities inside DAY, at its edges, and outside it."""
    wire, partner, other = make_article("wire"), make_article("copy", outlet="partner.fr"), make_article("other")
    shared = stable_id("syndicated")
    claims = {
        "denial": make_claim(wire, 0, "Acme dément tout.", about=("acme",), stance=Stance.denial,
                             first_seen=SINCE, fingerprint=shared),  # the very first instant is in
        "copy": make_claim(partner, 0, "Acme dément tout.", about=("acme",), stance=Stance.denial,
                           first_seen=SINCE + timedelta(hours=2), fingerprint=shared),
        "both": make_claim(wire, 20, "Jane Roe accuse Acme.", about=("acme", "jane"), stance=Stance.accusation,
                           first_seen=SINCE + timedelta(hours=3), speaker_entity="jane"),
        "assertion": make_claim(other, 0, "Acme affirme.", about=("acme",), stance=Stance.assertion,
                                first_seen=UNTIL - timedelta(microseconds=1)),
        "unwatched": make_claim(other, 20, "Personne ne sait.", about=(), stance=Stance.assertion,
                                first_seen=SINCE + timedelta(hours=1)),
        "next_day": make_claim(other, 40, "Zorg dément.", about=("zorg",), stance=Stance.denial,
                               first_seen=UNTIL),  # the end is excluded
        "day_before": make_claim(other, 60, "Zorg affirme.", about=("zorg",), stance=Stance.assertion,
                                 first_seen=SINCE - timedelta(seconds=1)),
    }
    by_article: dict[str, list[Claim]] = {}
    for claim in claims.values():
        by_article.setdefault(claim.article_id, []).append(claim)
    articles = {a.id: a for a in (wire, partner, other)}
    store.save_articles([EnrichedArticle(article=articles[aid], claims=found) for aid, found in by_article.items()])
    return claims


def composer_for(settings: Settings) -> DigestComposer:
    from pipeline.config import load_watchlist

    assert settings.watchlist is not None
    return DigestComposer(settings, load_watchlist(settings.watchlist))


def test_a_digest_groups_the_days_claims_by_entity_then_stance(
    store: Store, settings: Settings, day_of_claims: dict[str, Claim]
) -> None:
    content = composer_for(settings).compose(store, DESK, SINCE, UNTIL)
    layout = {section.name: {group.label: [item.claim.text for item in group.items] for group in section.stances}
              for section in content.sections}
    assert layout == {
        "Acme Corp": {"statement": ["Acme affirme."], "accusation": ["Jane Roe accuse Acme."],
                      "denial": ["Acme dément tout."]},
        "Jane Roe": {"accusation": ["Jane Roe accuse Acme."]},
    }
    assert [section.name for section in content.sections] == ["Acme Corp", "Jane Roe"]  # watchlist order
    assert content.claim_count == 3  # the syndicated copy is one claim, listed with both outlets
    denial = content.sections[0].stances[-1].items[0]
    assert denial.copies == [("lemonde.fr", "https://lemonde.fr/wire"), ("partner.fr", "https://partner.fr/copy")]


def test_each_recipient_gets_what_their_rules_match(
    store: Store, settings: Settings, day_of_claims: dict[str, Claim]
) -> None:
    content = composer_for(settings).compose(store, LEGAL, SINCE, UNTIL)
    assert [(s.name, [g.label for g in s.stances]) for s in content.sections] == [("Acme Corp", ["denial"])]
    assert content.claim_count == 1


def test_plan_then_send_one_email_per_recipient_once(
    store: Store, settings: Settings, day_of_claims: dict[str, Claim], tmp_path: Path
) -> None:
    outbox = OutboxChannel(tmp_path / "outbox")
    first = run_digest(settings, SINCE, UNTIL, store=store, channel=outbox)
    assert (first.planned, first.sent, first.failed, first.error) == (2, 2, 0, None)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    messages = {str(m["To"]): m for m in (message_from_bytes(f.read_bytes(), policy=default) for f in files)}
    assert set(messages) == {DESK, LEGAL}
    assert str(messages[LEGAL]["Subject"]) == "[newswatch] Digest 2025-03-01: 1 new claim about Acme Corp"
    assert str(messages[DESK]["Subject"]) == "[newswatch] Digest 2025-03-01: 3 new claims about Acme Corp, Jane Roe"
    text = messages[DESK].get_body(("plain",)).get_content()
    assert "== Acme Corp (3) ==" in text and "-- denial (1) --" in text
    assert "Also in: partner.fr <https://partner.fr/copy>" in text
    assert "Zorg" not in text and "Personne" not in text
    html = messages[DESK].get_body(("html",)).get_content()
    assert '<h3 id="acme"' in html and "Acme dément tout." in html

    again = run_digest(settings, SINCE, UNTIL, store=store, channel=outbox)
    assert (again.planned, again.sent) == (0, 0)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    sent = store.find_digests(AlertStatus.sent)
    assert {(d.recipient, d.claim_count, d.attempts) for d in sent} == {(DESK, 3, 1), (LEGAL, 1, 1)}


def test_a_day_without_claims_sends_nothing(store: Store, settings: Settings, day_of_claims: dict[str, Claim],
                                            tmp_path: Path) -> None:
    since, until = day_interval(DAY - timedelta(days=3))
    result = run_digest(settings, since, until, store=store, channel=OutboxChannel(tmp_path / "outbox"))
    assert (result.planned, result.sent) == (0, 0)
    assert store.find_digests() == []


def test_the_interval_is_half_open(store: Store, settings: Settings, day_of_claims: dict[str, Claim]) -> None:
    digests = plan_digests(store, composer_for(settings), SINCE, UNTIL)
    assert {d.recipient: d.claim_count for d in digests} == {DESK: 3, LEGAL: 1}
    with pytest.raises(ValueError, match="empty digest interval"):
        plan_digests(store, composer_for(settings), UNTIL, SINCE)


def test_period_labels() -> None:
    assert period_label(SINCE, UNTIL) == "2025-03-01"
    assert period_label(SINCE + timedelta(hours=6), UNTIL + timedelta(hours=6)) == \
        "2025-03-01 06:00 to 2025-03-02 06:00 UTC"


# --------------------------------------------------------------------------- delivery failures


@pytest.mark.parametrize("mode", ["4xx", "5xx"])
def test_smtp_refusals(store: Store, settings: Settings, day_of_claims: dict[str, Claim],
                       smtp_server: SmtpServer, mode: str) -> None:
    """4xx: the digests stay pending and go out on the next attempt, once; 5xx: failed, not retried."""
    settings = settings.model_copy(update={"smtp": settings.smtp.model_copy(update=smtp_server.settings())})
    smtp_server.mailbox.mode = mode  # type: ignore[assignment]
    refused = run_digest(settings, SINCE, UNTIL, store=store)
    assert smtp_server.messages == []
    if mode == "4xx":
        assert refused.error and refused.pending == 2
        assert {d.status for d in store.find_digests()} == {AlertStatus.pending}
    else:
        assert refused.failed == 2 and refused.error is None
        assert {d.status for d in store.find_digests()} == {AlertStatus.failed}
    smtp_server.mailbox.mode = "accept"
    later = run_digest(settings, SINCE, UNTIL, store=store)
    assert later.planned == 0
    assert len(smtp_server.messages) == (2 if mode == "4xx" else 0)
    run_digest(settings, SINCE, UNTIL, store=store)
    assert len(smtp_server.messages) == (2 if mode == "4xx" else 0)


def test_smtp_down_leaves_the_digests_pending(store: Store, settings: Settings, day_of_claims: dict[str, Claim],
                                              smtp_server: SmtpServer) -> None:
    settings = settings.model_copy(update={"smtp": settings.smtp.model_copy(update=smtp_server.settings())})
    smtp_server.stop()
    down = run_digest(settings, SINCE, UNTIL, store=store)
    assert down.sent == 0 and down.pending == 2 and down.error
    smtp_server.start()
    back = run_digest(settings, SINCE, UNTIL, store=store)
    assert back.sent == 2
    assert sorted(str(m["Message-ID"]) for m in smtp_server.messages) == sorted(
        f"<digest-{d.id}@newswatch>" for d in store.find_digests(AlertStatus.sent))


# --------------------------------------------------------------------------- the CLI


def test_cli_digest_of_a_day_sends_once(tmp_path: Path, settings: Settings, day_of_claims: dict[str, Claim],
                                        store: Store) -> None:
    config = tmp_path / "newswatch.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\nwatchlist = "{settings.watchlist}"\n\n'
        f'[store]\npath = "{tmp_path / "store.db"}"\n\n'
        f'[[rules]]\nid = "all"\nrecipients = ["{DESK}"]\n', encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["digest", "-c", str(config), "--day", DAY.isoformat()])
    assert first.exit_code == 0, first.output
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == 1
    second = runner.invoke(app, ["digest", "-c", str(config), "--since", SINCE.isoformat(), "--until",
                                 UNTIL.isoformat()])
    assert second.exit_code == 0, second.output
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == 1


@pytest.mark.parametrize("args", [
    ["--day", "2025-03-01", "--since", "2025-03-01", "--until", "2025-03-02"],
    ["--since", "2025-03-01"],
    ["--since", "2025-03-02", "--until", "2025-03-01"],
    ["--since", "2d", "--until", "1d"],
])
def test_cli_digest_refuses_unclear_intervals(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, ["digest", *args])
    assert result.exit_code == 2, result.output


def test_digest_ids_depend_on_recipient_and_interval_only() -> None:
    since = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
    same = since.astimezone(UTC).replace(tzinfo=None)  # naive is UTC
    assert digest_id(DESK, since, since + timedelta(days=1)) == digest_id(DESK, same, same + timedelta(days=1))
    assert digest_id(DESK, since, since + timedelta(days=1)) != digest_id(LEGAL, since, since + timedelta(days=1))
    assert digest_id(DESK, since, since + timedelta(days=1)) != digest_id(DESK, since, since + timedelta(days=2))


def test_a_pending_digest_whose_recipient_left_the_rules_fails_with_the_reason(
    store: Store, settings: Settings, day_of_claims: dict[str, Claim], tmp_path: Path
) -> None:
    plan_digests(store, composer_for(settings), SINCE, UNTIL)
    fewer_rules = settings.model_copy(update={"rules": [rule for rule in settings.rules if rule.id == "all"]})
    result = run_digest(fewer_rules, SINCE, UNTIL, store=store, channel=OutboxChannel(tmp_path / "outbox"))
    assert (result.sent, result.failed) == (1, 1)
    failed = store.find_digests(AlertStatus.failed)
    assert [(d.recipient, d.last_error) for d in failed] == [(LEGAL, "no alert rule names this recipient any more")]


def test_a_claim_from_an_entry_without_a_link_is_listed_without_one(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    """An entry read from its feed has an urn:newswatch: address: no link a mail client could open."""
    url = "urn:newswatch:entry:" + stable_id("brief")
    brief = Article(id=article_id(url), url=url, item_id=item_id(url), feed_url="https://x/feed", outlet="Briefs",
                    title="Acme brief", text="." * 400, language="fr", published=SINCE)
    claim = make_claim(brief, 0, "Acme dément tout.", about=("acme",), stance=Stance.denial, first_seen=SINCE)
    store.save_articles([EnrichedArticle(article=brief, claims=[claim])])
    outbox = OutboxChannel(tmp_path / "outbox")
    assert run_digest(settings, SINCE, UNTIL, store=store, channel=outbox).sent == 2
    for path in (tmp_path / "outbox").glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=default)
        assert "(a feed entry, no link)" in message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Acme brief (a feed entry, no link)" in html and "urn:newswatch" not in html
