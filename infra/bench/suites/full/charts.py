"""PNG charts of a bench-full run: throughput and latency percentiles per route and concurrency."""

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from infra.bench.harness.runs import RunRecord
from infra.bench.suites.full.plan import ROUTES, Key, Plan

UPSTREAM_ROUTES = ("blocking", "movies", "lambda", "aiohttp")
LOCAL_ROUTES = ("health", "constant")
PERCENTILES = (("p50", "p50_ms"), ("p95", "p95_ms"), ("p99", "p99_ms"))


def _value(record: RunRecord | None, field: str) -> float:
    if record is None or not record.result.ok:
        return math.nan
    value: float = getattr(record.result, field)
    return value


# 504s arrive fast and would count as throughput: the chart counts 2xx answers only.
RPS = "good_rps"


def _bars(ax: Axes, groups: list[str], series: dict[str, list[float]], ylabel: str) -> None:
    """Grouped bars on a linear scale, each labelled with its value (so small ones still read)."""
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        xs = [g + (i - (len(series) - 1) / 2) * width for g in range(len(groups))]
        heights = [0.0 if math.isnan(v) else v for v in values]
        bars = ax.bar(xs, heights, width, label=name)
        labels = ["skip" if math.isnan(v) else f"{v:,.0f}" for v in values]
        ax.bar_label(bars, labels, fontsize=6, rotation=90, padding=2)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel(ylabel)
    ax.margins(y=0.25)
    ax.grid(axis="y", alpha=0.3)


def throughput_chart(plan: Plan, records: dict[Key, RunRecord], path: Path) -> None:
    """Requests/s per concurrency: a panel per catalog latency, one for routes without upstream."""
    panels = len(plan.latencies_ms) + 1
    fig, axes = plt.subplots(1, panels, figsize=(4.5 * panels, 4.2), squeeze=False)
    groups = [f"c={c}" for c in plan.concurrencies]
    for ax, latency_ms in zip(axes[0], plan.latencies_ms, strict=False):
        series = {
            ROUTES[k].label: [
                _value(records.get((k, latency_ms, c)), RPS) for c in plan.concurrencies
            ]
            for k in UPSTREAM_ROUTES
        }
        _bars(ax, groups, series, "2xx responses/s")
        ax.set_title(f"catalog {latency_ms} ms")
        ax.legend(fontsize=7)
    first = plan.latencies_ms[0]
    local = {
        ROUTES[k].label: [_value(records.get((k, first, c)), RPS) for c in plan.concurrencies]
        for k in LOCAL_ROUTES
    }
    _bars(axes[0][-1], groups, local, "2xx responses/s")
    axes[0][-1].set_title("no upstream")
    axes[0][-1].legend(fontsize=7)
    fig.suptitle("Throughput: 2xx responses per second (higher is better)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def latency_chart(plan: Plan, records: dict[Key, RunRecord], path: Path) -> None:
    """p50/p95/p99 per concurrency: rows are catalog latencies, columns routes."""
    rows, cols = len(plan.latencies_ms), len(UPSTREAM_ROUTES)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False)
    groups = [f"c={c}" for c in plan.concurrencies]
    for r, latency_ms in enumerate(plan.latencies_ms):
        for col, key in enumerate(UPSTREAM_ROUTES):
            ax = axes[r][col]
            series = {
                name: [_value(records.get((key, latency_ms, c)), field) for c in plan.concurrencies]
                for name, field in PERCENTILES
            }
            _bars(ax, groups, series, "ms")
            ax.set_title(f"{ROUTES[key].label}, catalog {latency_ms} ms", fontsize=9)
            if r == 0 and col == 0:
                ax.legend(fontsize=7)
    fig.suptitle("Latency percentiles (lower is better; an empty bar was skipped)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
