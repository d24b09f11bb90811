from __future__ import annotations

import pytest

from pipeline import ids


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Example.ORG:443/a/b?utm_source=rss&id=3&utm_medium=x#top", "https://example.org/a/b?id=3"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?a=1&b=2"),
        ("https://example.org/p?fbclid=abc&gclid=def", "https://example.org/p"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert ids.canonical_url(url) == canonical


def test_ids_are_deterministic_and_distinct() -> None:
    a = ids.article_id("https://example.org/a?utm_source=x")
    assert a == ids.article_id("https://EXAMPLE.org/a")
    assert a != ids.article_id("https://example.org/b")
    assert ids.claim_id(a, 0, 10) == ids.claim_id(a, 0, 10) != ids.claim_id(a, 0, 11)
    assert ids.alert_id("rule", "fp") != ids.alert_id("other", "fp")
    assert len(a) == 32
