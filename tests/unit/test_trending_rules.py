"""Trending's rules as arithmetic: the window a moment falls in, and what a served list counts."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from movies.domain.trending import TrendingRules
from movies.settings import Settings

EST = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("hours", "at", "start"),
    [
        (24, datetime(2026, 12, 7, 23, 59, 59, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC)),
        (24, datetime(2026, 12, 8, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC)),
        # 20:30 on the 7th at UTC-5 is 01:30 on the 8th in UTC: the 8th's window.
        (24, datetime(2026, 12, 7, 20, 30, tzinfo=EST), datetime(2026, 12, 8, tzinfo=UTC)),
        (6, datetime(2026, 12, 7, 17, 5, tzinfo=UTC), datetime(2026, 12, 7, 12, tzinfo=UTC)),
    ],
)
def test_windows_are_aligned_on_the_epoch(hours: int, at: datetime, start: datetime) -> None:
    assert TrendingRules(window=timedelta(hours=hours)).window_start(at) == start


def test_a_list_counts_its_top_movies_not_yet_counted_while_the_window_has_room() -> None:
    rules = TrendingRules(per_call=3, per_window=5)
    assert rules.to_count([9, 8, 7, 6], set()) == [9, 8, 7]  # the top 3, best first
    assert rules.to_count([9, 8, 7, 6], {8}) == [9, 7]  # not again; 6 is not in the top 3
    assert rules.to_count([9, 9, 8], set()) == [9, 8]  # once, however often listed
    assert rules.to_count([1, 2, 3], {10, 11, 12, 13}) == [1]  # room for one more
    assert rules.to_count([1, 2, 3], {10, 11, 12, 13, 14}) == []


def test_the_rules_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRENDING_WINDOW_HOURS", "6")
    monkeypatch.setenv("TRENDING_COUNTED_PER_CALL", "4")
    monkeypatch.setenv("TRENDING_COUNTED_PER_WINDOW", "40")
    assert Settings().trending_rules() == TrendingRules(timedelta(hours=6), 4, 40)
    assert Settings(trending_window_hours=24).trending_rules().window == timedelta(days=1)


@pytest.mark.parametrize(
    "field",
    [
        {"trending_window_hours": 0},
        {"trending_window_hours": 169},  # kept 15 days past its end: at most a week
        {"trending_counted_per_call": 51},  # one transaction: 1 + 50 items at most
        {"trending_counted_per_window": 501},  # the window's record stays a small item
    ],
)
def test_rules_out_of_bounds_are_refused(field: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        Settings(**field)  # type: ignore[arg-type]
