"""The whole pipeline against real parts: the sample site over HTTP on 127.0.0.1 and a real
SMTP server (aiosmtpd) receiving real messages. Runs on every store backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Settings
from pipeline.models import AlertRule, AlertStatus, ClaimQuery, Stage, Stance
from pipeline.runner import Pipeline
from pipeline.sample import SITE_DIR, WATCHLIST
from pipeline.sample.server import SiteServer
from pipeline.store.base import Store
from tests.conftest import make_settings
from tests.plugins.smtp import SmtpServer

FR_OUTLET = "Le Veilleur"
EN_OUTLET = "Northwind Wire"
COUNTED = ("articles", "mentions", "claims", "alerts", "pages", "items")


def settings_for(tmp_path: Path, site: SiteServer, smtp: SmtpServer, store: dict | None = None) -> Settings:
    return make_settings(
        tmp_path,
        watchlist=str(WATCHLIST),
        feeds=[
            {"url": f"{site.url}/feeds/fr.xml", "name": FR_OUTLET, "language": "fr"},
            {"url": f"{site.url}/feeds/en.atom", "name": EN_OUTLET, "language": "en"},
        ],
        rules=[{"id": "watched", "recipients": ["desk@example.org"]}],
        smtp=smtp.settings(),
        **({"store": store} if store else {}),
    )


def counts(store: Store) -> dict[str, int]:
    return {kind: store.count(kind) for kind in COUNTED}


def run(settings: Settings) -> None:
    with Pipeline(settings) as pipeline:
        pipeline.run_once()


def test_first_run_finds_entities_and_claims_and_mails_them(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        store = pipeline.store
        seed = next(a for a in (store.get_article(m.article_id) for m in store.find_mentions(entity="putin"))
                    if a and a.url.endswith("seed-musk-kremlin.html"))
        mentions = store.find_mentions(article_id=seed.id)
        claims = store.find_claims(ClaimQuery(article_id=seed.id))
        sent = store.find_alerts(AlertStatus.sent, limit=1000)

    assert report.feeds == 2 and report.feeds_failed == 0
    assert report.items_new == 8  # 9 feed entries, one duplicate link
    assert report.articles_stored == 7  # the subscribe page is a recorded skip
    found = {m.entity_id for m in mentions}
    assert {"musk", "putin", "starlink", "kremlin", "pentagon"} <= found
    assert any(m.entity_id == "putin" and "Poutine" in m.surface for m in mentions)
    assert any(m.entity_id == "pentagon" and m.surface == "Pentagone" for m in mentions)
    assert any(m.entity_id == "starlink" and m.surface == "StarLink" for m in mentions)

    denial = next(c for c in claims if "absurde" in c.text)
    assert denial.stance is Stance.denial
    assert denial.speaker_entity == "musk"
    no_comment = next(c for c in claims if "aucun commentaire" in c.text)
    assert no_comment.stance is Stance.no_comment
    assert no_comment.speaker_entity == "pentagon"

    # One email per alert, each received by the real SMTP server.
    assert len(smtp_server.messages) == len(sent) == report.alerts_sent > 0
    subjects = smtp_server.subjects
    assert f"[newswatch] Elon Musk: denial by Elon Musk ({FR_OUTLET})" in subjects
    assert f"[newswatch] Pentagon: no comment by Pentagon ({FR_OUTLET})" in subjects
    message = next(m for m in smtp_server.messages
                   if ">>> Le milliardaire a qualifié" in m.get_body(("plain",)).get_content())
    assert str(message["Subject"]) == f"[newswatch] Elon Musk: denial by Elon Musk ({FR_OUTLET})"
    assert message["To"] == "desk@example.org"
    body = message.get_body(("plain",)).get_content()
    assert "Le milliardaire a qualifié ces accusations « absurde »" in body
    assert seed.url in body
    html = message.get_body(("html",)).get_content()
    assert "<mark>" in html and seed.url in html
    # The weather article names no watched entity: nothing about it is mailed.
    assert not any("Lyon" in str(m["Subject"]) for m in smtp_server.messages)


def test_syndicated_copy_alerts_once(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    with Pipeline(settings) as pipeline:
        pipeline.run_once()
        claims = pipeline.store.find_claims(ClaimQuery(limit=1000))
    wire = [c for c in claims if c.url.endswith("wire-starlink-outage.html")]
    partner = [c for c in claims if c.url.endswith("partner-starlink-outage.html")]
    assert wire and partner
    assert {c.fingerprint for c in wire} == {c.fingerprint for c in partner}
    mailed_claims = [m.get_body(("plain",)).get_content() for m in smtp_server.messages]
    for claim in wire:
        if claim.about or claim.speaker_entity:
            highlighted = f">>> {' '.join(claim.text.split())} <<<"
            assert sum(highlighted in " ".join(body.split()) for body in mailed_claims) == 1


def test_rerun_sends_nothing_and_writes_nothing(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    run(settings)
    first_mail = len(smtp_server.messages)
    with Pipeline(settings) as pipeline:
        before = counts(pipeline.store)
        report = pipeline.run_once()
        after = counts(pipeline.store)
    assert report.feeds_not_modified == 2  # conditional GET: the server answered 304
    assert before == after
    assert len(smtp_server.messages) == first_mail


def test_a_new_article_with_one_claim_sends_exactly_one_email(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    run(settings)
    first_mail = len(smtp_server.messages)
    sample_site.route("/feeds/en.atom", SITE_DIR / "feeds" / "later.atom")
    run(settings)
    new = smtp_server.messages[first_mail:]
    assert len(new) == 1, [str(m["Subject"]) for m in new]
    assert "Pentagon" in str(new[0]["Subject"])
    assert "Mark Delaney" in new[0].get_body(("plain",)).get_content()


def test_a_batched_rule_sends_one_email_per_run_with_every_new_claim(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    rules = [AlertRule(id="busy", batch=True, recipients=["desk@example.org"]),
             AlertRule(id="denials", stances=[Stance.denial], recipients=["boss@example.org"])]
    settings = settings.model_copy(update={"rules": rules})
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        alerts = pipeline.store.find_alerts(limit=1000)
        claims = {c.id: c for c in pipeline.store.find_claims(ClaimQuery(limit=1000))}
    busy = [a for a in alerts if a.rule_id == "busy"]
    denials = [a for a in alerts if a.rule_id == "denials"]
    assert len(busy) > 1 and denials and report.alerts_sent == len(alerts)
    desk = [m for m in smtp_server.messages if m["To"] == "desk@example.org"]
    assert len(desk) == 1  # every new claim of the batched rule, in one email
    assert len([m for m in smtp_server.messages if m["To"] == "boss@example.org"]) == len(denials)  # one each
    subject = str(desk[0]["Subject"])
    assert subject.startswith(f"[newswatch] {len(busy)} new claims: ") and "Elon Musk (" in subject
    body = " ".join(desk[0].get_body(("plain",)).get_content().split())
    for alert in busy:
        assert f">>> {' '.join(claims[alert.claim_id].text.split())} <<<" in body
    assert {a.status for a in busy} == {AlertStatus.sent} and {a.subject for a in busy} == {subject}

    mailed = len(smtp_server.messages)
    run(settings)
    assert len(smtp_server.messages) == mailed  # a rerun: nothing owed, nothing sent
    sample_site.route("/feeds/en.atom", SITE_DIR / "feeds" / "later.atom")
    run(settings)
    new = [m for m in smtp_server.messages[mailed:] if m["To"] == "desk@example.org"]
    assert len(new) == 1 and "Pentagon" in str(new[0]["Subject"])  # a batch of one reads as the alert
    assert "new claims" not in str(new[0]["Subject"])


def test_smtp_down_then_back_sends_every_alert_once(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    smtp_server.stop()
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        pending = pipeline.store.find_alerts(AlertStatus.pending, limit=1000)
    assert report.alerts_sent == 0 and report.alerts_queued > 0
    assert len(pending) == report.alerts_queued

    smtp_server.start()
    run(settings)
    assert len(smtp_server.messages) == len(pending)
    assert sorted(str(m["Message-ID"]) for m in smtp_server.messages) == sorted(f"<{a.id}@newswatch>" for a in pending)
    run(settings)
    assert len(smtp_server.messages) == len(pending)


@pytest.mark.parametrize("mode", ["4xx", "5xx"])
def test_smtp_refusals(tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, mode: str,
                       store_settings: dict | None) -> None:
    """4xx: the alert stays pending and goes out later; 5xx: it is recorded as failed, not retried."""
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    smtp_server.mailbox.mode = mode  # type: ignore[assignment]
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        queued = report.alerts_queued
        statuses = {a.status for a in pipeline.store.find_alerts(limit=1000)}
    assert smtp_server.messages == []
    if mode == "4xx":
        assert statuses == {AlertStatus.pending}
    else:
        assert statuses == {AlertStatus.failed}
    smtp_server.mailbox.mode = "accept"
    run(settings)
    assert len(smtp_server.messages) == (queued if mode == "4xx" else 0)


def test_a_recipient_refused_while_others_accept_is_recorded_and_owed_again_only_if_for_now(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    """A server that accepts a message for some recipients and refuses others: the alert is sent;
    a recipient refused for good (550) is recorded and not retried, one refused for now (451,
    greylisting) gets the alert at a later run, alone, once."""
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    rule = AlertRule(id="watched", recipients=["desk@example.org", "typo@example.org", "grey@example.org"])
    settings = settings.model_copy(update={"rules": [rule]})
    smtp_server.mailbox.refuse = {"typo@example.org": "550 5.1.1 no such user",
                                  "grey@example.org": "451 4.7.1 greylisted, try again later"}
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        alerts = pipeline.store.find_alerts(limit=1000)
        errors = {e.url: e for e in pipeline.store.find_errors(Stage.alert)}
    first = list(smtp_server.messages)
    assert report.alerts_queued > 0 and len(first) == report.alerts_queued
    assert {str(m["X-Envelope-To"]) for m in first} == {"desk@example.org"}
    sent = [a for a in alerts if a.status is AlertStatus.sent]
    owed = [a for a in alerts if a.status is AlertStatus.pending]
    assert len(sent) == len(owed) == report.alerts_queued
    assert all("typo@example.org: 550" in (a.last_error or "") and "grey@example.org: 451" in (a.last_error or "")
               for a in sent)
    assert all(a.recipients == ["grey@example.org"] for a in owed)
    assert {a.fingerprint for a in owed} == {a.fingerprint for a in sent}
    assert errors["mailto:typo@example.org"].terminal and "550" in errors["mailto:typo@example.org"].message
    assert not errors["mailto:grey@example.org"].terminal

    smtp_server.mailbox.refuse = {"typo@example.org": "550 5.1.1 no such user"}  # greylisting lifted
    run(settings)
    later = smtp_server.messages[len(first):]
    assert len(later) == len(owed) and {str(m["X-Envelope-To"]) for m in later} == {"grey@example.org"}
    assert {str(m["Subject"]) for m in later} == {str(m["Subject"]) for m in first}
    run(settings)
    assert len(smtp_server.messages) == len(first) + len(owed)  # typo@ is never tried again, nobody gets two


def test_failed_alerts_are_requeued_to_the_recipients_their_rule_names_now(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    """A mistyped address refused for good fails the alerts; once the rule is fixed, `newswatch
    requeue` owes them to the new recipients, and the next run sends each once."""
    settings = settings_for(tmp_path, sample_site, smtp_server, store_settings)
    settings = settings.model_copy(update={"rules": [AlertRule(id="watched", recipients=["dsek@example.org"])]})
    smtp_server.mailbox.refuse = {"dsek@example.org": "550 5.1.1 no such user"}
    with Pipeline(settings) as pipeline:
        failed = pipeline.run_once().alerts_queued
        assert {a.status for a in pipeline.store.find_alerts(limit=1000)} == {AlertStatus.failed}
    assert failed > 0 and smtp_server.messages == []

    store_toml = ""
    if store_settings:
        es = store_settings["elasticsearch"]
        store_toml = (f'[store]\nbackend = "elasticsearch"\n[store.elasticsearch]\nhosts = ["{es["hosts"][0]}"]\n'
                      f'index_prefix = "{es["index_prefix"]}"\n')
    config = tmp_path / "fixed.toml"
    config.write_text(f'data_dir = "{settings.data_dir}"\n{store_toml}[[rules]]\nid = "watched"\n'
                      'recipients = ["desk@example.org"]\n', encoding="utf-8")
    dry = CliRunner().invoke(app, ["requeue", "--config", str(config), "--dry-run"])
    assert dry.exit_code == 0 and f"would requeue {failed} failed alert(s)" in dry.output, dry.output
    done = CliRunner().invoke(app, ["requeue", "--config", str(config)])
    assert done.exit_code == 0 and f"requeued {failed} failed alert(s)" in done.output, done.output

    fixed = settings.model_copy(update={"rules": [AlertRule(id="watched", recipients=["desk@example.org"])]})
    run(fixed)
    assert len(smtp_server.messages) == failed
    assert {str(m["X-Envelope-To"]) for m in smtp_server.messages} == {"desk@example.org"}
    run(fixed)
    assert len(smtp_server.messages) == failed


BRIEFS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Briefs</title><link>http://briefs.example/</link><description>d</description>
<item><title>Musk denies the report</title><guid isPermaLink="false">brief-1</guid>
<description>&lt;p&gt;Elon Musk on Monday denied a report that Starlink had been switched off over Crimea at the
request of the Kremlin. &#8220;The report is false,&#8221; Musk said in a post, adding that the service had run
without interruption throughout the week.&lt;/p&gt;</description></item>
<item><title>A title and nothing else</title><guid isPermaLink="false">brief-2</guid></item>
</channel></rss>
"""


def test_an_entry_without_a_link_is_read_from_its_feed(
    tmp_path: Path, sample_site: SiteServer, smtp_server: SmtpServer, store_settings: dict | None
) -> None:
    """RSS makes an item's link optional: a brief that carries its text in the feed is an article
    at an urn:newswatch:entry: address, mailed without a link no client can open; an entry with
    neither link nor text is a recorded skip. Both were skipped before round 19."""
    sample_site.route("/feeds/briefs.xml", lambda request: (200, {"Content-Type": "application/rss+xml"}, BRIEFS))
    settings = make_settings(
        tmp_path, watchlist=str(WATCHLIST), feeds=[{"url": f"{sample_site.url}/feeds/briefs.xml", "name": "Briefs"}],
        rules=[{"id": "watched", "recipients": ["desk@example.org"]}], smtp=smtp_server.settings(),
        **({"store": store_settings} if store_settings else {}))
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        store = pipeline.store
        article = next(a for a in (store.get_article(m.article_id) for m in store.find_mentions(entity="musk")) if a)
        claims = store.find_claims(ClaimQuery(article_id=article.id))
        skips = [e for e in store.find_errors(Stage.feed) if e.kind == "entry_without_link"]
        first = counts(store)
    assert report.items_new == 1 and report.articles_stored == 1
    assert article.url.startswith("urn:newswatch:entry:") and article.title == "Musk denies the report"
    assert "switched off over Crimea" in article.text
    assert any(c.speaker_entity == "musk" and c.stance is Stance.denial for c in claims)
    assert [e.message for e in skips] == ["1 entries without an http(s) link or text skipped"]
    mailed = [m.get_body(("plain",)).get_content() for m in smtp_server.messages]
    assert mailed and all("urn:newswatch" not in body and "an entry of the feed" in body for body in mailed)
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    assert 'href="urn:' not in html

    run(settings)  # the same feed again: the entry's address is the same, so nothing is new
    with Pipeline(settings) as pipeline:
        assert counts(pipeline.store) == first
    assert len(smtp_server.messages) == len(mailed)
