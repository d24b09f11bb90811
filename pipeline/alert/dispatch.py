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
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pipeline import ids
from pipeline.alert.channels import Channel, PermanentSendError, Refused, TransientSendError
from pipeline.alert.render import Renderer
from pipeline.models import Alert, AlertRule, AlertStatus, ClaimQuery, Email, ErrorRecord, Ledgered, Stage, utcnow
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
    pending: Sequence[Ledgered], channel: Channel, prepare: Callable[[Ledgered], Email | str],
    save: Callable[[Ledgered], None], result: Result,
    requeue: Callable[[Ledgered, list[str]], None] | None = None,
) -> Result:
    """Send each ledger entry (an alert or a digest) and record its fate right after.

    ``prepare`` renders an entry's message, or says why it can no longer be composed (a terminal
    failure). A message refused for good (5xx) fails its entry; a channel that fails transiently
    stops the loop and leaves the rest pending for the next run. ``requeue`` owes an entry again to
    the recipients refused for now while others got it (a digest has one recipient: no requeue).
    """
    if not pending:
        return result
    kind = type(pending[0]).__name__.lower()

    def fail(entry: Ledgered, reason: str) -> None:
        entry.status, entry.last_error, entry.attempts = AlertStatus.failed, reason, entry.attempts + 1
        save(entry)
        result.failed += 1
        log.error(f"{kind} failed for good", extra={"alert": entry.id, "error": reason})

    try:
        with channel.session() as send:
            for index, entry in enumerate(pending):
                email = prepare(entry)
                if isinstance(email, str):
                    fail(entry, email)
                    continue
                try:
                    refused = send(email)
                except PermanentSendError as exc:
                    fail(entry, str(exc))
                    continue
                except TransientSendError as exc:
                    entry.attempts, entry.last_error = entry.attempts + 1, str(exc)
                    save(entry)
                    result.pending, result.error = len(pending) - index, str(exc)
                    log.warning(f"channel failed; {kind}s stay pending", extra={"alert": entry.id, "error": str(exc)})
                    return result
                later = sorted(address for address, reply in refused.items() if reply.startswith("4"))
                if later and requeue is not None:
                    requeue(entry, later)
                entry.status, entry.sent_at, entry.subject = AlertStatus.sent, utcnow(), email.subject
                entry.attempts, entry.last_error = entry.attempts + 1, _refusals(refused, bool(later and requeue))
                save(entry)
                result.sent += 1
                result.refused.update(refused)
                if refused:
                    log.error(f"{kind} sent, but refused for some recipients",
                              extra={"alert": entry.id, "error": entry.last_error})
                else:
                    log.info(f"{kind} sent", extra={"alert": entry.id, "subject": email.subject})
    except TransientSendError as exc:
        result.pending = len(pending) - result.sent - result.failed
        result.error = str(exc)
        log.warning(f"channel unavailable; {kind}s stay pending", extra={"error": str(exc)})
    return result


def _refusals(refused: Refused, requeued: bool) -> str | None:
    if not refused:
        return None
    listed = "; ".join(f"{address}: {reply}" for address, reply in sorted(refused.items()))
    return f"refused for {listed}" + (" (those refused for now are owed it again)" if requeued else "")


def dispatch(store: Store, channel: Channel, renderer: Renderer, limit: int = 1000) -> DispatchResult:
    """Send the pending alerts, oldest first; record each recipient a server refused."""

    def requeue(alert: Alert, recipients: list[str]) -> None:
        store.add_alerts([alert.model_copy(update={
            "id": ids.requeued_alert_id(alert.id, recipients), "recipients": recipients,
            "status": AlertStatus.pending, "attempts": 0, "created_at": utcnow(), "last_error": None,
        })])

    def prepare(alert: Alert) -> Email | str:
        claims = {c.id: c for c in store.find_claims(ClaimQuery(article_id=alert.article_id, limit=10_000))}
        claim = claims.get(alert.claim_id) or next(
            (c for c in claims.values() if c.fingerprint == alert.fingerprint), None
        )
        article = store.get_article(alert.article_id)
        if claim is None or article is None:
            return "the claim is no longer in the store (article reprocessed)"
        return renderer.render(alert, claim, article)

    result = deliver(store.find_alerts(AlertStatus.pending, limit=limit), channel, prepare, store.save_alert,
                     DispatchResult(), requeue)
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
                                         "recipients": list(rule.recipients or default_recipients)})
        if not dry_run:
            store.save_alert(again)
        requeued.append(again)
    return requeued, left
