"""The soak's own logic, without a stack: the load tells injected refusals apart, and its
percentiles are nearest-rank (tests/e2e/test_soak.py runs the soak itself)."""

from infra.soak import faulty_app, soak_load
from infra.soak.soak_verdict import percentile


def test_the_load_recognizes_the_injected_queue_fault() -> None:
    assert soak_load.INJECTED_DETAIL == faulty_app.INJECTED_DETAIL


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert [percentile(values, q) for q in (50, 99, 100)] == [50, 99, 100]
    assert percentile([], 99) == 0.0
    assert percentile([7.0], 1) == 7.0
