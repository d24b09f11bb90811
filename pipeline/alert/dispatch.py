"""Send pending alerts (and digests) from their ledger; mark each sent only after the channel
accepted it.

A channel that is down leaves every remaining alert pending for the next run (nothing lost);
an alert is marked sent right after its message is accepted (nothing doubled). The one window
left, a crash between acceptance and the ledger write, re-sends that single message with the same
Message-ID on the next run, which mail clients and archives de-duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pipeline.alert.channels import Channel, PermanentSendError, TransientSendError
from pipeline.alert.render import Renderer
from pipeline.models import Alert, AlertStatus, ClaimQuery, Email, Ledgered, utcnow
from pipeline.store.base import Store

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    error: str | None = None
    """Set when the channel failed transiently: what was not sent stays pending for the next try."""


Result = TypeVar("Result", bound=DispatchResult)


def deliver(
    pending: Sequence[Ledgered], channel: Channel, prepare: Callable[[Ledgered], Email | str],
    save: Callable[[Ledgered], None], result: Result,
) -> Result:
    """Send each ledger entry (an alert or a digest) and record its fate right after.

    ``prepare`` renders an entry's message, or says why it can no longer be composed (a terminal
    failure). A message refused for good (5xx) fails its entry; a channel that fails transiently
    stops the loop and leaves the rest pending for the next run.
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
                    send(email)
                except PermanentSendError as exc:
                    fail(entry, str(exc))
                    continue
                except TransientSendError as exc:
                    entry.attempts, entry.last_error = entry.attempts + 1, str(exc)
                    save(entry)
                    result.pending, result.error = len(pending) - index, str(exc)
                    log.warning(f"channel failed; {kind}s stay pending", extra={"alert": entry.id, "error": str(exc)})
                    return result
                entry.status, entry.sent_at, entry.subject = AlertStatus.sent, utcnow(), email.subject
                entry.attempts, entry.last_error = entry.attempts + 1, None
                save(entry)
                result.sent += 1
                log.info(f"{kind} sent", extra={"alert": entry.id, "subject": email.subject})
    except TransientSendError as exc:
        result.pending = len(pending) - result.sent - result.failed
        result.error = str(exc)
        log.warning(f"channel unavailable; {kind}s stay pending", extra={"error": str(exc)})
    return result


def dispatch(store: Store, channel: Channel, renderer: Renderer, limit: int = 1000) -> DispatchResult:
    """Send the pending alerts, oldest first."""

    def prepare(alert: Alert) -> Email | str:
        claims = {c.id: c for c in store.find_claims(ClaimQuery(article_id=alert.article_id, limit=10_000))}
        claim = claims.get(alert.claim_id) or next(
            (c for c in claims.values() if c.fingerprint == alert.fingerprint), None
        )
        article = store.get_article(alert.article_id)
        if claim is None or article is None:
            return "the claim is no longer in the store (article reprocessed)"
        return renderer.render(alert, claim, article)

    return deliver(store.find_alerts(AlertStatus.pending, limit=limit), channel, prepare, store.save_alert,
                   DispatchResult())
