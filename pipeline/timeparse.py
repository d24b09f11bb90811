"""``--since``/``--until`` values: ISO dates and datetimes, or ages such as 30m, 6h, 2d, 1w."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_AGE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(value: str | None, now: datetime | None = None) -> datetime | None:
    if value is None or not value.strip():
        return None
    match = _AGE.match(value.lower())
    if match:
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"not a date, datetime or age (30m, 6h, 2d): {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
