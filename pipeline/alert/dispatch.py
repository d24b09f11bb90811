"""Send pending alerts from the ledger; mark each sent only after the channel accepted it.

A channel that is down leaves every remaining alert pending for the next run (nothing lost);
an alert is marked sent right after its message is accepted (nothing doubled). The one window
left, a crash between acceptance and the ledger write, re-sends that single message with the same
Message-ID on the next run, which mail clients and archives de-duplicate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pipeline.alert.channels import Channel, PermanentSendError, TransientSendError
from pipeline.alert.render import Renderer
from pipeline.models import Alert, AlertStatus, ClaimQuery, utcnow
from pipeline.store.base import Store

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    error: str | None = None


def _fail(store: Store, alert: Alert, reason: str) -> None:
    alert.status, alert.last_error, alert.attempts = AlertStatus.failed, reason, alert.attempts + 1
    store.save_alert(alert)
    log.error("alert failed for good", extra={"alert": alert.id, "error": reason})


def dispatch(store: Store, channel: Channel, renderer: Renderer, limit: int = 1000) -> DispatchResult:
    result = DispatchResult()
    pending = store.find_alerts(AlertStatus.pending, limit=limit)
    if not pending:
        return result
    try:
        with channel.session() as send:
            for index, alert in enumerate(pending):
                claims = {c.id: c for c in store.find_claims(ClaimQuery(article_id=alert.article_id, limit=10_000))}
                claim = claims.get(alert.claim_id) or next(
                    (c for c in claims.values() if c.fingerprint == alert.fingerprint), None
                )
                article = store.get_article(alert.article_id)
                if claim is None or article is None:
                    _fail(store, alert, "the claim is no longer in the store (article reprocessed)")
                    result.failed += 1
                    continue
                email = renderer.render(alert, claim, article)
                try:
                    send(email)
                except PermanentSendError as exc:
                    _fail(store, alert, str(exc))
                    result.failed += 1
                    continue
                except TransientSendError as exc:
                    alert.attempts, alert.last_error = alert.attempts + 1, str(exc)
                    store.save_alert(alert)
                    result.pending = len(pending) - index
                    result.error = str(exc)
                    log.warning("channel failed; alerts stay pending", extra={"alert": alert.id, "error": str(exc)})
                    return result
                alert.status, alert.sent_at, alert.subject = AlertStatus.sent, utcnow(), email.subject
                alert.attempts += 1
                alert.last_error = None
                store.save_alert(alert)
                result.sent += 1
                log.info("alert sent", extra={"alert": alert.id, "subject": email.subject})
    except TransientSendError as exc:
        result.pending = len(pending) - result.sent - result.failed
        result.error = str(exc)
        log.warning("channel unavailable; alerts stay pending", extra={"error": str(exc)})
    return result
