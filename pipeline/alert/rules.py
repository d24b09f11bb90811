"""Rule "new claim about a watched entity", optionally narrowed by entities, stances, languages.

A claim concerns the entities it is about and its speaker when watched. It is new for a rule when
its fingerprint was never alerted for that rule: the alert id is derived from both, and the
ledger inserts an id only once, so ten outlets syndicating one story make one alert.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline import ids
from pipeline.models import Alert, AlertRule, Claim, EnrichedArticle


def claim_entities(claim: Claim) -> set[str]:
    return set(claim.about) | ({claim.speaker_entity} if claim.speaker_entity else set())


def rule_matches(rule: AlertRule, claim: Claim, watched: set[str]) -> set[str]:
    """The watched entities through which ``claim`` matches ``rule`` (empty: no match)."""
    entities = claim_entities(claim) & watched
    if rule.entities:
        entities &= set(rule.entities)
    if not entities:
        return set()
    if rule.stances and claim.stance not in rule.stances:
        return set()
    if rule.languages and claim.language not in rule.languages:
        return set()
    return entities


def alerts_for(
    rules: list[AlertRule], docs: Iterable[EnrichedArticle], watched: set[str], default_recipients: list[str]
) -> list[Alert]:
    alerts: dict[str, Alert] = {}
    for doc in docs:
        for claim in doc.claims:
            for rule in rules:
                entities = rule_matches(rule, claim, watched)
                if not entities:
                    continue
                alert_id = ids.alert_id(rule.id, claim.fingerprint)
                alerts.setdefault(alert_id, Alert(
                    id=alert_id, rule_id=rule.id, fingerprint=claim.fingerprint, claim_id=claim.id,
                    article_id=claim.article_id, entity_ids=sorted(entities), stance=claim.stance,
                    speaker=claim.speaker_entity or claim.speaker, outlet=claim.outlet,
                    recipients=rule.addressees(default_recipients),
                ))
    return list(alerts.values())
