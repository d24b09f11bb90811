"""The daily digest: one email per recipient with the claims first seen in an interval, grouped by
watched entity, then by stance, in HTML and plain text.

Selection is by ``Claim.first_seen`` within [since, until), an interval the caller passes (the
Airflow run's data interval, or ``newswatch digest --day``), never ``now()``: the same day always
yields the same digest, however late or often it is run.

The digest ledger makes "a rerun of a past day sends it once at most" hold: a digest is planned
under an id derived from its recipient and interval (``Store.add_digests`` inserts an id once), and
marked sent only after the channel accepted it, exactly like an alert. Its content is not stored
but recomposed from the claims when it is sent, so a digest left pending by a mail outage is sent
by the next attempt with the same Message-ID.

A claim reaches a recipient when it matches one of the recipient's alert rules (a rule with no
recipients goes to ``smtp.default_recipients``), so the digest is the day's alerts, summarised.
Copies of one claim in several outlets (syndication: one fingerprint) are listed once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from pipeline import ids
from pipeline.alert.channels import Channel
from pipeline.alert.dispatch import DispatchResult, deliver
from pipeline.alert.render import STANCE_LABELS, environment
from pipeline.alert.rules import rule_matches
from pipeline.models import AlertRule, AlertStatus, Claim, ClaimQuery, Digest, Email, Stance, WatchedEntity

if TYPE_CHECKING:
    from pipeline.config import Settings
    from pipeline.store.base import Store

log = logging.getLogger(__name__)

MAX_CLAIMS = 10_000
"""Claims read for one interval; a day with more is cut (and logged), never a crashed digest."""


# --------------------------------------------------------------------------- intervals and ids


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are UTC (as everywhere in newswatch); aware ones are converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def day_interval(day: date) -> tuple[datetime, datetime]:
    """[00:00, next 00:00) UTC of ``day``: the interval of a daily digest."""
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def check_interval(since: datetime, until: datetime) -> tuple[datetime, datetime]:
    since, until = as_utc(since), as_utc(until)
    if since >= until:
        raise ValueError(f"empty digest interval: {since.isoformat()} is not before {until.isoformat()}")
    return since, until


def digest_id(recipient: str, since: datetime, until: datetime) -> str:
    """Recipient (case-insensitively) and interval: the same day for the same person is one digest."""
    since, until = as_utc(since), as_utc(until)
    return ids.stable_id("digest", recipient.strip().lower(), since.isoformat(), until.isoformat())


def message_id(digest: Digest) -> str:
    """Deterministic, so that a digest re-sent after a crash is recognisably the same message."""
    return f"<digest-{digest.id}@newswatch>"


def period_label(since: datetime, until: datetime) -> str:
    """"2025-03-01" for a whole UTC day, else both ends."""
    since, until = as_utc(since), as_utc(until)
    if since.time() == time(0) and until - since == timedelta(days=1):
        return since.date().isoformat()
    return f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC"


# --------------------------------------------------------------------------- content


@dataclass
class DigestItem:
    """One claim; ``copies`` lists every (outlet, url) that carried it, the first one included."""

    claim: Claim
    speaker: str
    copies: list[tuple[str, str]] = field(default_factory=list)

    @property
    def also(self) -> list[tuple[str, str]]:
        return self.copies[1:]


@dataclass
class StanceSection:
    stance: Stance
    label: str
    items: list[DigestItem]


@dataclass
class EntitySection:
    entity_id: str
    name: str
    stances: list[StanceSection]

    @property
    def count(self) -> int:
        return sum(len(section.items) for section in self.stances)


@dataclass
class DigestContent:
    recipient: str
    since: datetime
    until: datetime
    sections: list[EntitySection]
    claim_count: int
    """Distinct claims (by fingerprint); a claim about two watched entities is listed under both."""

    @property
    def period(self) -> str:
        return period_label(self.since, self.until)


def recipient_rules(rules: Sequence[AlertRule], default_recipients: Sequence[str]) -> dict[str, list[AlertRule]]:
    """Who receives a digest, and through which rules (the alert rules' recipients)."""
    by_recipient: dict[str, list[AlertRule]] = defaultdict(list)
    for rule in rules:
        for recipient in rule.addressees(default_recipients):
            by_recipient[recipient].append(rule)
    return dict(by_recipient)


class DigestComposer:
    """Builds the digest of one recipient for one interval and renders it with the jinja2 templates
    ``digest.txt.j2`` and ``digest.html.j2``. Reads the store, never writes it."""

    def __init__(self, settings: Settings, watchlist: list[WatchedEntity]) -> None:
        self.rules = recipient_rules(settings.rules, settings.smtp.default_recipients)
        self.order = {entity.id: index for index, entity in enumerate(watchlist)}
        self.names = {entity.id: entity.name for entity in watchlist}
        self.watched = set(self.names)
        self.sender = settings.smtp.sender
        self.env = environment()
        self._claims: dict[tuple[datetime, datetime], list[Claim]] = {}

    @property
    def recipients(self) -> list[str]:
        return sorted(self.rules)

    def claims(self, store: Store, since: datetime, until: datetime) -> list[Claim]:
        """The interval's claims, oldest first, read once per interval and composer."""
        key = (since, until)
        if key not in self._claims:
            found = store.find_claims(ClaimQuery(since=since, until=until, limit=MAX_CLAIMS))
            if len(found) >= MAX_CLAIMS:
                log.warning("digest interval has too many claims; the oldest are left out",
                            extra={"items": len(found)})
            self._claims[key] = sorted(found, key=lambda c: (c.first_seen, c.article_id, c.start))
        return self._claims[key]

    def speaker(self, claim: Claim) -> str:
        if claim.speaker_entity:
            return self.names.get(claim.speaker_entity, claim.speaker_entity)
        return claim.speaker or "unattributed"

    def compose(self, store: Store, recipient: str, since: datetime, until: datetime) -> DigestContent:
        since, until = check_interval(since, until)
        rules = self.rules.get(recipient, [])
        items: dict[str, DigestItem] = {}
        placed: dict[tuple[str, Stance], list[DigestItem]] = defaultdict(list)
        for claim in self.claims(store, since, until):
            entities: set[str] = set()
            for rule in rules:
                entities |= rule_matches(rule, claim, self.watched)
            if not entities:
                continue
            item = items.get(claim.fingerprint)
            if item is not None:  # a syndicated copy of a claim already listed
                if (claim.outlet, claim.url) not in item.copies:
                    item.copies.append((claim.outlet, claim.url))
                continue
            item = items[claim.fingerprint] = DigestItem(claim, self.speaker(claim), [(claim.outlet, claim.url)])
            for entity in entities:
                placed[(entity, claim.stance)].append(item)
        stance_order = list(Stance)
        sections = []
        for entity in sorted({entity for entity, _ in placed}, key=lambda e: (self.order.get(e, len(self.order)), e)):
            stances = [
                StanceSection(stance, STANCE_LABELS[stance], placed[(entity, stance)])
                for stance in stance_order if (entity, stance) in placed
            ]
            sections.append(EntitySection(entity, self.names.get(entity, entity), stances))
        return DigestContent(recipient, since, until, sections, len(items))

    def subject(self, content: DigestContent) -> str:
        names = [section.name for section in content.sections]
        about = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        plural = "" if content.claim_count == 1 else "s"
        subject = f"[newswatch] Digest {content.period}: {content.claim_count} new claim{plural} about {about}"
        return " ".join(subject.split())  # no line breaks in a header

    def render(self, digest: Digest, content: DigestContent) -> Email:
        context = {"digest": digest, "content": content, "subject": self.subject(content)}
        return Email(
            message_id=message_id(digest),
            sender=self.sender,
            recipients=[digest.recipient],
            subject=context["subject"],
            text=self.env.get_template("digest.txt.j2").render(context),
            html=self.env.get_template("digest.html.j2").render(context),
        )


# --------------------------------------------------------------------------- plan and send


@dataclass
class DigestResult(DispatchResult):
    planned: int = 0


def plan_digests(store: Store, composer: DigestComposer, since: datetime, until: datetime) -> list[Digest]:
    """Queue one digest per recipient who has claims in the interval; return those queued now.

    Only new ids are inserted, so planning a day twice queues nothing the second time, whether the
    first digest was sent, is still pending, or failed for good.
    """
    since, until = check_interval(since, until)
    planned = []
    for recipient in composer.recipients:
        content = composer.compose(store, recipient, since, until)
        if content.claim_count:
            planned.append(Digest(id=digest_id(recipient, since, until), recipient=recipient, since=since,
                                  until=until, claim_count=content.claim_count))
    return store.add_digests(planned)


def send_digests(store: Store, channel: Channel, composer: DigestComposer, limit: int = 100) -> DigestResult:
    """Send every pending digest (of any interval: one a mail outage left behind goes out now),
    marking each sent right after the channel accepted it."""

    def prepare(unit: Sequence[Digest]) -> Email | str:
        (digest,) = unit
        if digest.recipient not in composer.rules:
            return "no alert rule names this recipient any more"
        content = composer.compose(store, digest.recipient, digest.since, digest.until)
        if not content.claim_count:
            return "no claims left in the interval (articles reprocessed)"
        digest.claim_count = content.claim_count
        return composer.render(digest, content)

    return deliver([[digest] for digest in store.find_digests(AlertStatus.pending, limit=limit)], channel, prepare,
                   store.save_digest, DigestResult())


def run_digest(settings: Settings, since: datetime, until: datetime, *, store: Store | None = None,
               channel: Channel | None = None) -> DigestResult:
    """Plan the interval's digests, then send everything pending. Needs no NLP model: spaCy is
    never imported on this path, so the daily task starts fast."""
    from pipeline.alert.channels import channel_for
    from pipeline.config import load_watchlist
    from pipeline.store import open_store

    watchlist = load_watchlist(settings.watchlist) if settings.watchlist else []
    composer = DigestComposer(settings, watchlist)
    own_store = store is None
    store = store or open_store(settings)
    try:
        planned = plan_digests(store, composer, since, until)
        result = send_digests(store, channel or channel_for(settings.smtp, settings.outbox_path), composer)
        result.planned = len(planned)
        return result
    finally:
        if own_store:
            store.close()
