"""Alert emails from jinja2 templates (``pipeline/alert/templates``): HTML and plain text."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline import ids
from pipeline.models import Alert, Article, Claim, Email, Stance, WatchedEntity

_CONTEXT_CHARS = 280
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

    def render(self, alert: Alert, claim: Claim, article: Article) -> Email:
        text = article.text
        context = {
            "alert": alert,
            "claim": claim,
            "article": article,
            "stance": STANCE_LABELS[claim.stance],
            "speaker": self.speaker_label(claim),
            "entities": [self.names.get(entity, entity) for entity in alert.entity_ids],
            "before": text[max(0, claim.start - _CONTEXT_CHARS):claim.start],
            "after": text[claim.end:claim.end + _CONTEXT_CHARS],
        }
        return Email(
            message_id=message_id(alert.id),
            sender=self.sender,
            recipients=alert.recipients,
            subject=self.subject(alert, claim),
            text=self.env.get_template("alert.txt.j2").render(context),
            html=self.env.get_template("alert.html.j2").render(context),
        )
