"""Send pending alerts (and digests) from their ledger; mark each sent only after the channel
accepted it.

A channel that is down leaves every remaining alert pending for the next run (nothing lost);
an alert is marked sent right after its message is accepted (nothing doubled). The one window
left, a crash between acceptance and the ledger write, re-sends that single message with the same
Message-ID on the next run, which mail clients and archives de-duplicate.

A server may accept a message for some recipients and refuse others. The message is then sent; each
refused address is recorded in the errors (``newswatch errors --stage alert``) and in the entry's
``last_error``. An alert refused for now (4xx: greylisting, a full mailbox) is owed again to those
recipients only, as a new ledger entry added before this one is marked sent; one refused for good
(5xx: no such user) is not retried.

A rule with ``batch = true`` sends one message per run and recipient list with all its new claims.
Each alert keeps its own ledger entry, marked with the message's fate; the message's Message-ID is
made from the ids of its alerts, so the crash window above may re-send a batch regrouped with
alerts found since under a new Message-ID.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pipeline import ids
from pipeline.alert.channels import Channel, PermanentSendError, Refused, TransientSendError
from pipeline.alert.render import Renderer
from pipeline.models import (
    Alert,
    AlertRule,
    AlertStatus,
    Article,
    Claim,
    ClaimQuery,
    Email,
    ErrorRecord,
    Ledgered,
    Stage,
    utcnow,
)
from pipeline.store.base import Store

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    error: str | None = None
    """Set when the channel failed transiently: what was not sent stays pending for the next try."""
    refused: Refused = field(default_factory=dict)
    """Recipients refused while others got the message: address -> the server's reply."""


Result = TypeVar("Result", bound=DispatchResult)


def deliver(
    pending: Sequence[Sequence[Ledgered]], channel: Channel, prepare: Callable[[Sequence[Ledgered]], Email | str],
    save: Callable[[Ledgered], None], result: Result,
    requeue: Callable[[Ledgered, list[str]], None] | None = None,
) -> Result:
    """Send each message (a unit of ledger entries: one alert or digest, or a batch of alerts) and
    record the fate of each of its entries right after.

    ``prepare`` renders a unit's message, or says why it can no longer be composed (a terminal
    failure). A message refused for good (5xx) fails its entries; a channel that fails transiently
    stops the loop and leaves the rest pending for the next run. ``requeue`` owes an entry again to
    the recipients refused for now while others got it (a digest has one recipient: no requeue).
    """
    if not pending:
        return result
    kind = type(pending[0][0]).__name__.lower()
    owed = sum(len(unit) for unit in pending)

    def fail(unit: Sequence[Ledgered], reason: str) -> None:
        for entry in unit:
            entry.status, entry.last_error, entry.attempts = AlertStatus.failed, reason, entry.attempts + 1
            save(entry)
            result.failed += 1
            log.error(f"{kind} failed for good", extra={"alert": entry.id, "error": reason})

    try:
        with channel.session() as send:
            for unit in pending:
                email = prepare(unit)
                if isinstance(email, str):
                    fail(unit, email)
                    continue
                try:
                    refused = send(email)
                except PermanentSendError as exc:
                    fail(unit, str(exc))
                    continue
                except TransientSendError as exc:
                    for entry in unit:
                        entry.attempts, entry.last_error = entry.attempts + 1, str(exc)
                        save(entry)
                    result.pending, result.error = owed - result.sent - result.failed, str(exc)
                    log.warning(f"channel failed; {kind}s stay pending", extra={"alert": unit[0].id, "error": str(exc)})
                    return result
                later = sorted(address for address, reply in refused.items() if reply.startswith("4"))
                requeued = bool(later) and requeue is not None
                note = _refusals(refused, requeued)
                for entry in unit:
                    if requeued:
                        requeue(entry, later)
                    entry.status, entry.sent_at, entry.subject = AlertStatus.sent, utcnow(), email.subject
                    entry.attempts, entry.last_error = entry.attempts + 1, note
                    save(entry)
                    result.sent += 1
                result.refused.update(refused)
                if refused:
                    log.error(f"{kind} sent, but refused for some recipients",
                              extra={"alert": unit[0].id, "error": note})
                else:
                    log.info(f"{kind} sent", extra={"alert": unit[0].id, "subject": email.subject,
                                                    "entries": len(unit)})
    except TransientSendError as exc:
        result.pending = owed - result.sent - result.failed
        result.error = str(exc)
        log.warning(f"channel unavailable; {kind}s stay pending", extra={"error": str(exc)})
    return result


def _refusals(refused: Refused, requeued: bool) -> str | None:
    if not refused:
        return None
    listed = "; ".join(f"{address}: {reply}" for address, reply in sorted(refused.items()))
    return f"refused for {listed}" + (" (those refused for now are owed it again)" if requeued else "")


def units(pending: Sequence[Alert], batched: Collection[str]) -> list[list[Alert]]:
    """One message per alert, except for the rules in ``batched``: one per rule and recipient list,
    at the place of its oldest alert."""
    out: list[list[Alert]] = []
    groups: dict[tuple[str, tuple[str, ...]], list[Alert]] = {}
    for alert in pending:
        if alert.rule_id not in batched:
            out.append([alert])
            continue
        key = (alert.rule_id, tuple(alert.recipients))
        if key not in groups:
            groups[key] = []
            out.append(groups[key])
        groups[key].append(alert)
    return out


def dispatch(store: Store, channel: Channel, renderer: Renderer, batched: Collection[str] = (),
             limit: int = 1000) -> DispatchResult:
    """Send the pending alerts, oldest first (those of the rules in ``batched`` together); record
    each recipient a server refused."""

    def requeue(alert: Alert, recipients: list[str]) -> None:
        store.add_alerts([alert.model_copy(update={
            "id": ids.requeued_alert_id(alert.id, recipients), "recipients": recipients,
            "status": AlertStatus.pending, "attempts": 0, "created_at": utcnow(), "last_error": None,
        })])

    pending = store.find_alerts(AlertStatus.pending, limit=limit)
    found: dict[str, tuple[Claim, Article]] = {}
    gone: list[list[Alert]] = []  # alone: prepare() fails each, and only it
    stored: dict[str, tuple[dict[str, Claim], Article | None]] = {}  # read once per article, not per alert
    for alert in pending:
        if alert.article_id not in stored:
            stored[alert.article_id] = (
                {c.id: c for c in store.find_claims(ClaimQuery(article_id=alert.article_id, limit=10_000))},
                store.get_article(alert.article_id),
            )
        claims, article = stored[alert.article_id]
        claim = claims.get(alert.claim_id) or next(
            (c for c in claims.values() if c.fingerprint == alert.fingerprint), None
        )
        if claim is None or article is None:
            gone.append([alert])
        else:
            found[alert.id] = claim, article
    owed = [*gone, *units([alert for alert in pending if alert.id in found], batched)]

    def prepare(unit: Sequence[Alert]) -> Email | str:
        if unit[0].id not in found:
            return "the claim is no longer in the store (article reprocessed)"
        if len(unit) == 1:  # a batch of one reads best as the alert it is
            return renderer.render(unit[0], *found[unit[0].id])
        return renderer.render_batch([(alert, *found[alert.id]) for alert in unit])

    result = deliver(owed, channel, prepare, store.save_alert, DispatchResult(), requeue)
    for address, reply in sorted(result.refused.items()):
        store.record_error(ErrorRecord.of(Stage.alert, "recipient_refused", reply, terminal=not reply.startswith("4"),
                                          url=f"mailto:{address}"))
    return result


def requeue_failed(store: Store, rules: Sequence[AlertRule], default_recipients: Sequence[str],
                   rule_id: str | None = None, *, dry_run: bool = False) -> tuple[list[Alert], list[Alert]]:
    """Owe the failed alerts again, to the recipients their rule names now, once the cause was fixed
    (a mistyped address, a server that refused them); the next run sends them. The id, and so the
    Message-ID, stays: nobody got the message. Returns (requeued, left failed: their rule is gone)."""
    by_id = {rule.id: rule for rule in rules}
    requeued, left = [], []
    for alert in store.find_alerts(AlertStatus.failed, limit=1_000_000):
        if rule_id is not None and alert.rule_id != rule_id:
            continue
        rule = by_id.get(alert.rule_id)
        if rule is None:
            left.append(alert)
            continue
        again = alert.model_copy(update={"status": AlertStatus.pending, "attempts": 0, "last_error": None,
                                         "recipients": rule.addressees(default_recipients)})
        if not dry_run:
            store.save_alert(again)
        requeued.append(again)
    return requeued, left
