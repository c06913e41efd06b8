"""Recency: a weight per source whose part above `floor` halves every `half_life_days` before the
newest dated source. Without a floor, a folder that spans years buries its older half: an article two
years older than the newest would weigh 0.004 at a 90-day half-life, and nothing it says would be chosen.

Weights are relative to the corpus, not to today, so a brief rebuilt from the same seeds next year
chooses the same sentences. A source whose date cannot be read is weighted as the median dated
source: not knowing when it was written is no reason to favour or bury it. So is one dated after the
build's day (`after`), a mistake that would otherwise make every other source old.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import TypeVar

from dateutil import parser as dateparser

from briefing.model import Source

K = TypeVar("K")

_DEFAULT = datetime(2000, 1, 1)
FLOOR = 1e-6


@lru_cache(maxsize=65536)
def parsed_date(value: str | None) -> date | None:
    """The date a free-form metadata string states ('2022-10-18', 'Oct. 18, 2022', '18 October 2022,
    10:04 EDT'), or None when it states none. A date states its year in four digits: read fuzzily,
    '2 hours ago', '5 min read' or 'Page 3 of 12' would be days of the default year 2000, and
    `--since` would leave such an article out as old. A value that states two dates ('5 October 2022,
    updated 7 October 2022') or more than a date ('5 min read | Oct 5, 2022'), which dateutil reads as
    none, is the first date in it: the first run of its parts between commas, semicolons, bars and
    brackets that is a date."""
    if not value or not any(ch.isdigit() for ch in value):
        return None
    found = _date_in(value)
    if found is not None:
        return found
    cuts = [0] + [m.end() for m in PART_SEPARATOR.finditer(value)][:MAX_PARTS] + [len(value)]
    for i, start in enumerate(cuts[:-1]):
        for end in cuts[i + 1:]:
            found = _date_in(value[start:end].strip(" ,;|()[]-–—"))
            if found is not None:
                return found
    return None


PART_SEPARATOR = re.compile(r"[,;|()\[\]]|\s[-–—]\s")
MAX_PARTS = 8


def _date_in(value: str) -> date | None:
    """The date dateutil reads in the value when it states its year in four digits. Its time zone is
    not read (a name dateutil does not know, 'EDT', 'BST', was a warning on stderr, even with --quiet):
    the day is the one written."""
    if not YEAR.search(value):
        return None
    try:
        found = dateparser.parse(value, default=_DEFAULT, fuzzy=True, ignoretz=True).date()
    except (ValueError, OverflowError, TypeError):
        return None
    return found if str(found.year) in YEAR.findall(value) else None


YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def dates_of(sources: Sequence[Source]) -> dict[str, date | None]:
    return {s.id: parsed_date(s.metadata.date) for s in sources}


def weights(dates: Mapping[str, date | None], half_life_days: float | None, floor: float = 0.0) -> dict[str, float]:
    """Source id → weight in [floor, 1]: 1.0 for the newest dated source, its part above `floor`
    halving every half-life back; undated sources get the median weight of the dated ones (1.0 when
    none is dated or no half-life)."""
    if half_life_days is None:
        return {sid: 1.0 for sid in dates}
    dated = {sid: d for sid, d in dates.items() if d is not None}
    if not dated:
        return {sid: 1.0 for sid in dates}
    newest = max(dated.values())
    out = {sid: max(FLOOR, floor + (1 - floor) * 0.5 ** ((newest - d).days / half_life_days))
           for sid, d in dated.items()}
    undated = statistics.median(out.values())
    return {sid: out.get(sid, undated) for sid in dates}


def after(dates: Mapping[K, date | None], day: date) -> set[K]:
    """The sources dated more than a day after `day` (the build's day): no article is written in the
    future, so such a date is a mistake ("2031" for "2021"). Counted from it, every other source would
    be years old, and weigh the floor."""
    return {sid for sid, d in dates.items() if d is not None and (d - day).days > 1}


def before(dates: Mapping[K, date | None], since: date) -> set[K]:
    """The sources dated before `since`; undated sources are kept (their age is unknown)."""
    return {sid for sid, d in dates.items() if d is not None and d < since}
