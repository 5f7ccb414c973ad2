"""Markdown for reports: tables, numbers, and the PASS/FAIL line of a checked target."""

import math
from dataclasses import dataclass

Row = list[str]
DASH = "–"  # noqa: RUF001 (an en dash: no value)


@dataclass(frozen=True)
class Target:
    """One checked target."""

    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        """`PASS  (n) what: measured (target)`."""
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


def fmt(value: float, digits: int = 1) -> str:
    """A number for a table cell; NaN and infinity become an en dash."""
    if math.isnan(value) or math.isinf(value):
        return DASH
    return f"{value:,.{digits}f}"


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or NaN when that means nothing."""
    if denominator <= 0 or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


def markdown_table(
    headers: Row, rows: list[Row], align_right_from: int = 1, align_right_to: int | None = None
) -> str:
    """A GitHub markdown table; columns from `align_right_from` up to, not including,
    `align_right_to` (default: all the rest) are right-aligned."""
    end = len(headers) if align_right_to is None else align_right_to
    rules = ["---:" if align_right_from <= i < end else "---" for i in range(len(headers))]
    lines = [headers, rules, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines) + "\n"
