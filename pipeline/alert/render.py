"""Alert emails from jinja2 templates (``pipeline/alert/templates``): HTML and plain text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline import ids
from pipeline.models import Alert, Article, Claim, Email, Stance, WatchedEntity

_CONTEXT_CHARS = 280
_SUBJECT_ENTITIES = 3
STANCE_LABELS = {
    Stance.assertion: "statement",
    Stance.allegation: "allegation",
    Stance.accusation: "accusation",
    Stance.denial: "denial",
    Stance.admission: "admission",
    Stance.no_comment: "no comment",
}


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline", "alert/templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # An entry read from its feed (no link) has an urn:newswatch: address, which no mail client opens.
    env.tests["web"] = ids.is_web
    return env


def message_id(alert_id: str) -> str:
    """Deterministic, so that a message re-sent after a crash is recognisably the same message."""
    return f"<{alert_id}@newswatch>"


class Renderer:
    def __init__(self, watchlist: list[WatchedEntity], sender: str) -> None:
        self.names = {entity.id: entity.name for entity in watchlist}
        self.sender = sender
        self.env = environment()

    def speaker_label(self, claim: Claim) -> str:
        if claim.speaker_entity:
            return self.names.get(claim.speaker_entity, claim.speaker_entity)
        return claim.speaker or "unattributed"

    def subject(self, alert: Alert, claim: Claim) -> str:
        entities = ", ".join(self.names.get(entity, entity) for entity in alert.entity_ids)
        stance = STANCE_LABELS[claim.stance]
        subject = f"[newswatch] {entities}: {stance} by {self.speaker_label(claim)} ({claim.outlet})"
        return " ".join(subject.split())  # no line breaks in a header

    def item(self, alert: Alert, claim: Claim, article: Article) -> dict[str, object]:
        """What the templates show of one claim (``_claim.*.j2``), in an alert or in a batch."""
        text = article.text
        return {
            "alert": alert,
            "claim": claim,
            "article": article,
            "stance": STANCE_LABELS[claim.stance],
            "speaker": self.speaker_label(claim),
            "entities": [self.names.get(entity, entity) for entity in alert.entity_ids],
            "before": text[max(0, claim.start - _CONTEXT_CHARS):claim.start],
            "after": text[claim.end:claim.end + _CONTEXT_CHARS],
        }

    def render(self, alert: Alert, claim: Claim, article: Article) -> Email:
        context = {"item": self.item(alert, claim, article)}
        return Email(
            message_id=message_id(alert.id),
            sender=self.sender,
            recipients=alert.recipients,
            subject=self.subject(alert, claim),
            text=self.env.get_template("alert.txt.j2").render(context),
            html=self.env.get_template("alert.html.j2").render(context),
        )

    def render_batch(self, found: Sequence[tuple[Alert, Claim, Article]]) -> Email:
        """One message for the new claims of a batched rule, in the order they were found; the
        subject counts them per watched entity, most first (the first few: a subject is one line)."""
        alerts = [alert for alert, _, _ in found]
        per_entity = Counter(self.names.get(entity, entity) for alert in alerts for entity in alert.entity_ids)
        ranked = sorted(per_entity.items(), key=lambda pair: (-pair[1], pair[0]))
        context = {
            "items": [self.item(*triple) for triple in found],
            "entities": [name for name, _ in ranked],
            "rule_id": alerts[0].rule_id,
        }
        counts = ", ".join(f"{name} ({count})" for name, count in ranked[:_SUBJECT_ENTITIES])
        if len(ranked) > _SUBJECT_ENTITIES:
            counts += f" and {len(ranked) - _SUBJECT_ENTITIES} more"
        return Email(
            message_id=message_id(ids.stable_id("batch", *sorted(alert.id for alert in alerts))),
            sender=self.sender,
            recipients=alerts[0].recipients,
            subject=" ".join(f"[newswatch] {len(alerts)} new claims: {counts}".split()),
            text=self.env.get_template("batch.txt.j2").render(context),
            html=self.env.get_template("batch.html.j2").render(context),
        )
