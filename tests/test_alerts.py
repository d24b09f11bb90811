"""Alert rules, rendering and the outbox channel, on the sample watchlist."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default
from pathlib import Path

from pipeline.alert.channels import OutboxChannel
from pipeline.alert.render import Renderer, message_id
from pipeline.alert.rules import alerts_for, rule_matches
from pipeline.config import load_watchlist
from pipeline.models import AlertRule, Article, Claim, EnrichedArticle, Stance
from pipeline.sample import WATCHLIST

WATCHED = {entity.id for entity in load_watchlist(WATCHLIST)}
TEXT = "Intro. Le milliardaire a qualifié ces accusations « absurde ». Suite."
SENTENCE = "Le milliardaire a qualifié ces accusations « absurde »"
START = TEXT.index(SENTENCE)


def claim(**fields: object) -> Claim:
    values: dict[str, object] = {
        "id": "c1", "article_id": "a1", "start": START, "end": START + len(SENTENCE), "text": SENTENCE,
        "cue": "qualifié",
        "stance": Stance.denial, "speaker": "Le milliardaire", "speaker_entity": "musk", "about": ["musk"],
        "fingerprint": "fp1", "language": "fr", "outlet": "Le Veilleur", "url": "https://x.example/a",
    }
    values.update(fields)
    return Claim(**values)  # type: ignore[arg-type]


def article() -> Article:
    return Article(id="a1", url="https://x.example/a", item_id="i1", feed_url="f", outlet="Le Veilleur",
                   title="Musk <accusé>", text=TEXT, language="fr")


def test_rule_filters() -> None:
    c = claim()
    assert rule_matches(AlertRule(id="all"), c, WATCHED) == {"musk"}
    assert rule_matches(AlertRule(id="p", entities=["putin"]), c, WATCHED) == set()
    assert rule_matches(AlertRule(id="d", stances=[Stance.denial]), c, WATCHED) == {"musk"}
    assert rule_matches(AlertRule(id="a", stances=[Stance.assertion]), c, WATCHED) == set()
    assert rule_matches(AlertRule(id="en", languages=["en"]), c, WATCHED) == set()
    assert rule_matches(AlertRule(id="all"), claim(about=[], speaker_entity=None), WATCHED) == set()


def test_same_fingerprint_alerts_once_per_rule() -> None:
    docs = [EnrichedArticle(article=article(), claims=[claim(), claim(id="c2", article_id="a2")])]
    alerts = alerts_for([AlertRule(id="r1"), AlertRule(id="r2")], docs, WATCHED, ["desk@example.org"])
    assert sorted(a.rule_id for a in alerts) == ["r1", "r2"]
    assert all(a.recipients == ["desk@example.org"] for a in alerts)


def test_rendered_email_escapes_html_and_carries_the_claim() -> None:
    alert = alerts_for([AlertRule(id="r", recipients=["a@example.org"])],
                       [EnrichedArticle(article=article(), claims=[claim()])], WATCHED, [])[0]
    email = Renderer(load_watchlist(WATCHLIST), "nw@example.org").render(alert, claim(), article())
    assert email.subject == "[newswatch] Elon Musk: denial by Elon Musk (Le Veilleur)"
    assert email.message_id == message_id(alert.id)
    assert ">>> Le milliardaire a qualifié ces accusations « absurde » <<<" in email.text
    assert "Musk &lt;accusé&gt;" in email.html and "<accusé>" not in email.html
    assert "<mark>Le milliardaire" in email.html


def test_outbox_writes_each_message_once(tmp_path: Path) -> None:
    alert = alerts_for([AlertRule(id="r")], [EnrichedArticle(article=article(), claims=[claim()])], WATCHED,
                       ["desk@example.org"])[0]
    email = Renderer(load_watchlist(WATCHLIST), "nw@example.org").render(alert, claim(), article())
    channel = OutboxChannel(tmp_path / "outbox")
    for _ in range(2):
        with channel.session() as send:
            send(email)
    files = list((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == [f"{alert.id}.eml"]
    parsed = message_from_bytes(files[0].read_bytes(), policy=default)
    assert parsed["Subject"] == email.subject
    assert parsed["To"] == "desk@example.org"


def test_batched_rules_group_by_recipients_at_the_place_of_their_oldest_alert() -> None:
    from pipeline.alert.dispatch import units

    docs = [EnrichedArticle(article=article(), claims=[claim(id=f"c{n}", fingerprint=f"fp{n}")]) for n in range(3)]
    rules = [AlertRule(id="single", recipients=["a@x.org"]), AlertRule(id="busy", batch=True, recipients=["b@x.org"]),
             AlertRule(id="busy2", batch=True, recipients=["b@x.org"])]
    found = alerts_for(rules, docs, WATCHED, [])
    grouped = units(found, batched={"busy", "busy2"})
    assert [[a.rule_id for a in unit] for unit in grouped] == [
        ["single"], ["busy", "busy", "busy"], ["busy2", "busy2", "busy2"], ["single"], ["single"]]
    assert [a.fingerprint for a in grouped[1]] == ["fp0", "fp1", "fp2"]  # in the order they were found
    assert units(found, batched=()) == [[alert] for alert in found]


def test_a_batch_email_lists_every_claim_and_counts_them_per_entity_in_its_subject() -> None:
    renderer = Renderer(load_watchlist(WATCHLIST), "newswatch@example.org")
    rule = AlertRule(id="busy", batch=True, recipients=["b@x.org"])
    found = [(alert, claim(id=f"c{n}", fingerprint=f"fp{n}"), article())
             for n, alert in enumerate(alerts_for([rule], [EnrichedArticle(
                 article=article(), claims=[claim(id=f"c{n}", fingerprint=f"fp{n}") for n in range(2)])], WATCHED, []))]
    email = renderer.render_batch(found)
    assert email.subject == "[newswatch] 2 new claims: Elon Musk (2)"
    assert email.recipients == ["b@x.org"]
    assert email.text.count(">>> Le milliardaire a qualifié") == 2 and "== 2. denial about Elon Musk" in email.text
    assert "Musk &lt;accusé&gt;" in email.html  # escaped, as in a single alert
    assert email.message_id == renderer.render_batch(list(reversed(found))).message_id  # the same alerts, the same id
    assert email.message_id != message_id(found[0][0].id)
