"""Periods: the one pattern, the one check, and a period's first and last day.

A period is ``YYYY`` (full year), ``YYYY-H1``/``YYYY-H2`` (half years), ``YYYY-Mmm-Mnn`` (a month
range), ``YYYY-YTD@YYYY-MM-DD`` (the year to a date) or ``YYYY-spring`` (a spring school term).
"""

from __future__ import annotations

import calendar
import re

PERIOD_PATTERN = r"^\d{4}(-H[12]|-M(0[1-9]|1[0-2])-M(0[1-9]|1[0-2])|-YTD@\d{4}-\d{2}-\d{2}|-spring)?$"

PERIOD_FORMS = "YYYY, YYYY-H1, YYYY-H2, YYYY-M01-M08, YYYY-YTD@YYYY-MM-DD or YYYY-spring"


def check_period(period: str) -> str:
    """Return ``period`` if it is a real period; raise ``ValueError`` saying why otherwise.

    The one period check (scaffold, schema validation, ``Fig(period=)``): the whole string must be
    in the pattern (no trailing newline), a YTD date must be a real date in the period's year, and a
    month range must not end before it starts.

    >>> check_period("2022-M01-M08")
    '2022-M01-M08'
    """
    if not isinstance(period, str) or not re.fullmatch(PERIOD_PATTERN, period):
        raise ValueError(f"period {period!r} is not one of {PERIOD_FORMS}")
    rest = period[4:]
    if rest.startswith("-YTD@"):
        import datetime

        try:
            day = datetime.date.fromisoformat(rest[5:])
        except ValueError:
            raise ValueError(f"period {period!r}: {rest[5:]} is not a real date") from None
        if day.year != int(period[:4]):
            raise ValueError(f"period {period!r}: the year-to-date day is not in {period[:4]}")
    elif rest.startswith("-M") and int(rest[2:4]) > int(rest[6:8]):
        raise ValueError(f"period {period!r}: the month range ends before it starts")
    return period


def period_bounds(period: str) -> tuple[str, str]:
    """Return (first day, last day) of a period as ISO dates.

    >>> period_bounds("2022-H1"), period_bounds("2022-M01-M08"), period_bounds("2022-YTD@2022-09-22")
    (('2022-01-01', '2022-06-30'), ('2022-01-01', '2022-08-31'), ('2022-01-01', '2022-09-22'))
    """
    check_period(period)
    y = int(period[:4])
    rest = period[4:]
    if not rest:
        return f"{y}-01-01", f"{y}-12-31"
    if rest == "-H1":
        return f"{y}-01-01", f"{y}-06-30"
    if rest == "-H2":
        return f"{y}-07-01", f"{y}-12-31"
    if rest == "-spring":
        return f"{y}-02-01", f"{y}-07-31"
    if rest.startswith("-YTD@"):
        return f"{y}-01-01", rest[5:]
    m1, m2 = int(rest[2:4]), int(rest[6:8])
    return f"{y}-{m1:02d}-01", f"{y}-{m2:02d}-{calendar.monthrange(y, m2)[1]:02d}"


def period_order(periods) -> list[str]:
    """Return the distinct periods sorted by their end date, then start date."""
    return sorted(set(periods), key=lambda p: (period_bounds(p)[1], period_bounds(p)[0], p))


def _is_period(period: str) -> bool:
    try:
        check_period(period)
    except ValueError:
        return False
    return True
