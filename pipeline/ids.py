"""Deterministic identifiers: the same input always gets the same id, so replays overwrite."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_PREFIXES = ("utm_", "at_", "mc_", "pk_", "piwik_", "hsa_", "itm_")
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "ocid", "cmpid", "xtor", "ref", "ref_src",
     "smid", "smtyp", "mkt_tok", "igshid", "_ga", "cmp", "src", "s_cid", "wt.mc_id"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def stable_id(*parts: object) -> str:
    """128 bits of SHA-256 over the parts: short enough for an index key, long enough to never collide."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


def canonical_url(url: str) -> str:
    """One spelling per article URL: tracking parameters, fragments and default ports removed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if host else host
    netloc = host
    if parts.port and _DEFAULT_PORTS.get(scheme) != parts.port:
        netloc = f"{host}:{parts.port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" + (f":{parts.port}" if parts.port and _DEFAULT_PORTS.get(scheme) != parts.port else "")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_PARAMS
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


FEED_ENTRY_SCHEME = "urn:newswatch:entry:"
"""The address of an entry that links nowhere and carries its text in the feed: read from the
feed itself, never fetched."""


def feed_entry_address(feed_url: str, key: str) -> str:
    """The address of a link-less entry: its feed and its guid (unique within the feed), or its
    title and text when it has no guid."""
    return FEED_ENTRY_SCHEME + stable_id("entry", canonical_url(feed_url), key)


def is_web(address: str) -> bool:
    """Whether an item's address is a page to fetch (http or https), not a feed entry's."""
    return address.lower().startswith(("http://", "https://"))


def item_id(link: str) -> str:
    return stable_id("item", canonical_url(link))


def article_id(url: str) -> str:
    return stable_id("article", canonical_url(url))


def claim_id(article: str, start: int, end: int) -> str:
    return stable_id("claim", article, start, end)


def mention_id(article: str, entity: str, start: int, end: int) -> str:
    return stable_id("mention", article, entity, start, end)


def alert_id(rule: str, fingerprint: str) -> str:
    return stable_id("alert", rule, fingerprint)


def requeued_alert_id(alert: str, recipients: Iterable[str]) -> str:
    """The alert owed again to the recipients a server refused for now, when the others got it."""
    return stable_id("requeued", alert, *sorted(address.lower() for address in recipients))


def error_id(stage: str, kind: str, subject: str | None) -> str:
    return stable_id("error", stage, kind, subject)
