"""Small summaries of timings: rates and percentiles, rounded for a readable JSON line."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def rnd(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear between the closest ranks; None without data."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[int(q) - 1]


def per_article(seconds: Sequence[float], *, wall: float | None = None) -> dict[str, Any]:
    """Articles per second and p50/p95 milliseconds per article.

    The rate is ``len / wall`` when the articles ran concurrently (``wall`` given), else
    ``len / sum``: one after the other on one core.
    """
    total = wall if wall is not None else sum(seconds)
    return {
        "articles": len(seconds),
        "articles_per_s": rnd(len(seconds) / total if total > 0 else None, 2),
        "p50_ms": rnd(_ms(percentile(seconds, 50)), 2),
        "p95_ms": rnd(_ms(percentile(seconds, 95)), 2),
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else value * 1000


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator
