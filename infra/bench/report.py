"""Markdown tables: render them, parse them back (for the smoke test), format numbers."""

import math

Row = list[str]


def fmt(value: float, digits: int = 1) -> str:
    """A number for a table cell; NaN and infinity become an en dash."""
    if math.isnan(value) or math.isinf(value):
        return "–"  # noqa: RUF001 (an en dash reads as "no value" in a table)
    return f"{value:,.{digits}f}"


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, or NaN when that means nothing."""
    if denominator <= 0 or math.isnan(numerator) or math.isnan(denominator):
        return math.nan
    return numerator / denominator


def markdown_table(headers: Row, rows: list[Row], align_right_from: int = 1) -> str:
    """A GitHub markdown table; columns from `align_right_from` on are right-aligned."""
    rules = ["---" if i < align_right_from else "---:" for i in range(len(headers))]
    lines = [headers, rules, *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines) + "\n"


def parse_markdown_tables(text: str) -> list[list[dict[str, str]]]:
    """Every table in `text`, each as a list of {header: cell} rows; raises on a ragged row."""
    tables: list[list[dict[str, str]]] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            tables.append(_parse_block(block))
            block = []
    return tables


def _cells(line: str) -> Row:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _parse_block(block: list[str]) -> list[dict[str, str]]:
    if len(block) < 2 or not all(set(c) <= set(":-") and c for c in _cells(block[1])):
        raise ValueError(f"not a markdown table: {block[0]!r}")
    headers = _cells(block[0])
    rows = []
    for line in block[2:]:
        cells = _cells(line)
        if len(cells) != len(headers):
            raise ValueError(f"row has {len(cells)} cells, header has {len(headers)}: {line!r}")
        rows.append(dict(zip(headers, cells, strict=True)))
    return rows
