"""Every record that crosses a stage boundary, in one place.

Stages are functions from these models to these models; the stores persist them as they are
(the JSON Schemas under ``schemas/`` are generated from this module), so a field added here is a
field added everywhere, and nothing travels as a loose dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.ids import error_id


def utcnow() -> datetime:
    return datetime.now(UTC)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


# --------------------------------------------------------------------------- watchlist and rules


class EntityType(StrEnum):
    person = "person"
    organization = "organization"
    product = "product"
    place = "place"


class WatchedEntity(Model):
    """One line of the watchlist (format of shared/gold/README.md)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
    name: Annotated[str, Field(min_length=1)]
    type: EntityType
    aliases: list[str] = Field(default_factory=list)
    descriptors: list[str] = Field(default_factory=list)
    kind: str | None = None
    """For an organisation, its role class in the lexicons ("company", "institution", "party",
    "union", "media", …). When given, a description of another class never stands for it: in a
    story about Apple alone, "the regulator said" is not Apple. Left out, only the name decides."""

    def admits(self, role: str) -> bool:
        """Whether a noun of that role class may stand for this entity, as far as its ``kind``
        says (an entity without a kind admits any)."""
        return self.kind is None or self.kind == role


class Stance(StrEnum):
    assertion = "assertion"
    allegation = "allegation"
    accusation = "accusation"
    denial = "denial"
    admission = "admission"
    no_comment = "no_comment"


class AlertRule(Model):
    """"New claim about a watched entity", optionally narrowed; empty filters mean "any"."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    name: str = ""
    entities: list[str] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    batch: bool = False
    """One email per run and recipient list with all the rule's new claims, instead of one per claim:
    for a watchlist busy enough to flood an inbox (the daily digest is the other remedy)."""

    def addressees(self, default: Sequence[str]) -> list[str]:
        """Who the rule's alerts and digests go to: its recipients, else ``smtp.default_recipients``."""
        return list(self.recipients or default)

    @field_validator("recipients")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or address.strip() != address:
                raise ValueError(f"not an email address: {address!r}")
        return value


# --------------------------------------------------------------------------- fetch


class FeedConfig(Model):
    url: str
    name: str
    language: str | None = None
    """A hint used when detection is unsure (short texts)."""


class FeedState(Model):
    """What the next conditional GET needs, persisted per feed."""

    feed_url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None


class FeedItem(Model):
    """An entry of a feed, identified by its canonical link."""

    id: str
    feed_url: str
    feed_name: str
    link: str
    """The article's URL; for an entry that links nowhere and carries its text, an
    ``urn:newswatch:entry:`` address: its text is read from the feed, never fetched."""
    guid: str | None = None
    title: str | None = None
    summary: str | None = None
    content: str | None = None
    """Full content when the feed carries it: the fallback when the page yields no main text."""
    published: datetime | None = None
    authors: list[str] = Field(default_factory=list)
    language: str | None = None
    discovered_at: datetime = Field(default_factory=utcnow)


class ItemStatus(StrEnum):
    pending = "pending"
    """Discovered; the page is still to be fetched (or refetched after a transient failure)."""
    fetched = "fetched"
    """The raw page is stored; extraction, enrichment, storage or alert queueing is still owed."""
    done = "done"
    skipped = "skipped"
    """A terminal failure, recorded in the errors; never retried automatically."""


class WorkItem(Model):
    """A feed item with its progress through the stages: the ledger that makes runs resumable."""

    item: FeedItem
    status: ItemStatus = ItemStatus.pending
    attempts: int = 0
    next_attempt_at: datetime | None = None
    article_id: str | None = None
    last_error: str | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class FetchedPage(Model):
    """The bytes as served, kept so that any article can be reprocessed without the network."""

    item_id: str
    url: str
    final_url: str
    status_code: int
    content_type: str | None = None
    charset: str | None = None
    body: bytes
    fetched_at: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------- extract and enrich


class Article(Model):
    id: str
    """Derived from the canonical URL, so a replay overwrites instead of duplicating."""
    url: str
    item_id: str
    feed_url: str
    outlet: str
    title: str | None = None
    text: str
    language: str | None = None
    published: datetime | None = None
    authors: list[str] = Field(default_factory=list)
    fetched_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime = Field(default_factory=utcnow)


class MatchMethod(StrEnum):
    exact = "exact"
    """The canonical name or an alias, case- and accent-insensitively."""
    variant = "variant"
    """A spelling variant: transliteration, exonym or near match of the name."""
    partial = "partial"
    """A surname or a shorter form after the full name appeared in the document."""
    descriptor = "descriptor"
    """A descriptive phrase resolved to the entity ("le milliardaire")."""


class Mention(Model):
    id: str
    article_id: str
    entity_id: str
    surface: str
    start: int
    end: int
    method: MatchMethod
    score: float = 1.0


class Claim(Model):
    id: str
    """Derived from the article id and the span."""
    article_id: str
    start: int
    end: int
    text: str
    quote: str | None = None
    speaker: str | None = None
    """The speaker as written ("un porte-parole du Pentagone")."""
    speaker_entity: str | None = None
    cue: str
    stance: Stance
    about: list[str] = Field(default_factory=list)
    fingerprint: str
    """Same speaker, stance, about-set and content: the same claim, across outlets and reruns."""
    # Denormalised from the article, so that claims can be filtered and shown on their own.
    language: str | None = None
    outlet: str = ""
    url: str = ""
    title: str | None = None
    published: datetime | None = None
    first_seen: datetime = Field(default_factory=utcnow)
    """When this claim was first stored; kept across reprocessing, it selects a day's digest."""


class EnrichedArticle(Model):
    """The unit the stores write at once: an article with everything found in it."""

    article: Article
    mentions: list[Mention] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


# --------------------------------------------------------------------------- alerts


class AlertStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    """Refused for good (an invalid recipient, say): recorded, not retried."""


class Alert(Model):
    id: str
    """Derived from the rule and the claim fingerprint: a claim alerts once per rule, ever."""
    rule_id: str
    fingerprint: str
    claim_id: str
    article_id: str
    entity_ids: list[str]
    stance: Stance
    speaker: str | None = None
    outlet: str = ""
    recipients: list[str] = Field(default_factory=list)
    subject: str = ""
    status: AlertStatus = AlertStatus.pending
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    last_error: str | None = None


class Digest(Model):
    """The digest ledger: one entry per recipient and interval, so a rerun of a day sends it once.

    The content is not stored: it is recomposed from the claims first seen in [since, until) when
    the digest is sent, which is what lets a digest left pending by a mail outage go out later.
    """

    id: str
    """Derived from the recipient and the interval (``pipeline.digest.digest_id``)."""
    recipient: str
    since: datetime
    until: datetime
    claim_count: int = 0
    """Distinct claims (by fingerprint) in the digest, as last composed."""
    subject: str = ""
    status: AlertStatus = AlertStatus.pending
    """The same delivery states as an alert: pending (owed or retried), sent, failed (for good)."""
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    last_error: str | None = None


Ledgered = TypeVar("Ledgered", Alert, Digest)
"""An entry of a delivery ledger: alerts and digests are owed, sent and failed the same way."""


class Email(Model):
    """A rendered message, independent of the channel that delivers it."""

    message_id: str
    sender: str
    recipients: list[str]
    subject: str
    text: str
    html: str


# --------------------------------------------------------------------------- errors and reports


class Stage(StrEnum):
    feed = "feed"
    page = "page"
    extract = "extract"
    enrich = "enrich"
    store = "store"
    alert = "alert"


class ErrorRecord(Model):
    """A failure, kept with the item it belongs to; repeated failures increment ``count``."""

    id: str
    stage: Stage
    kind: str
    message: str
    url: str | None = None
    feed_url: str | None = None
    item_id: str | None = None
    terminal: bool
    count: int = 1
    first_seen: datetime = Field(default_factory=utcnow)
    last_seen: datetime = Field(default_factory=utcnow)

    @classmethod
    def of(cls, stage: Stage, kind: str, message: str, *, terminal: bool, url: str | None = None,
           feed_url: str | None = None, item_id: str | None = None) -> ErrorRecord:
        """The record of one failure, its id from what failed: a repeat is counted, not duplicated."""
        return cls(id=error_id(stage.value, kind, item_id or url or feed_url), stage=stage, kind=kind,
                   message=message, url=url, feed_url=feed_url, item_id=item_id, terminal=terminal)


class RunReport(Model):
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    feeds: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    items_new: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0
    articles_stored: int = 0
    mentions: int = 0
    claims: int = 0
    alerts_queued: int = 0
    alerts_sent: int = 0
    alerts_pending: int = 0
    articles_pruned: int = 0
    errors: int = 0


class PruneReport(Model):
    """What one prune deleted (or, in a dry run, would delete)."""

    before: datetime
    """Content fetched before this went; later than the configured days when a digest still owed
    needed older claims."""
    counts: dict[str, int] = Field(default_factory=dict)
    """Per kind: pages, articles, mentions, claims, errors."""
    kept: int = 0
    """Old articles kept because an alert still owed needs their claims."""
    dry_run: bool = False


# --------------------------------------------------------------------------- queries


class ClaimQuery(Model):
    entity: str | None = None
    stance: Stance | None = None
    language: str | None = None
    article_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100


class SearchQuery(Model):
    text: str
    entity: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 20


class SearchHit(Model):
    article_id: str
    title: str | None
    url: str
    outlet: str
    language: str | None
    published: datetime | None
    score: float
