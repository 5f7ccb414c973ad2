"""Issue 17's targets, met or missed, from one run's results (ratios within the run)."""

from infra.bench.harness.report import Target, fmt, ratio
from infra.bench.suites.cost.modes import OFF, SHIPPED
from infra.bench.suites.cost.probes import RepeatProbe, SharedPagesProbe, ThrottleProbe
from infra.bench.suites.cost.records import ModeResults, Probes

# (1) the mix after warm-up bills at most this share of the catalog's latency per request...
SHARE_OF_LATENCY = 0.05
# ... and at most this share of what it bills with caching off.
SHARE_OF_OFF = 0.10
# (2) each repeated read, and (4) the refusal, within this.
FAST_MS = 100.0


def _billed(shipped: ModeResults | None, off: ModeResults | None, latency_ms: int) -> list[Target]:
    name_latency = "(1) mix after warm-up, mean billed ÷ catalog latency"
    name_off = "(1) mix after warm-up, mean billed as shipped ÷ caching off"
    if shipped is None or off is None:
        missing = "the as-shipped run" if shipped is None else "the caching-off run"
        return [Target(name_latency, False, f"{missing} failed"), Target(name_off, False, "")]
    mean, off_mean = shipped.mix.billed_mean_ms, off.mix.billed_mean_ms
    of_latency, of_off = ratio(mean, latency_ms), ratio(mean, off_mean)
    return [
        Target(
            name_latency,
            of_latency <= SHARE_OF_LATENCY,
            f"{fmt(mean, 0)} ÷ {latency_ms:,} ms = {fmt(of_latency * 100, 1)} % "
            f"(target ≤ {SHARE_OF_LATENCY:.0%}, {fmt(SHARE_OF_LATENCY * latency_ms, 0)} ms)",
        ),
        Target(
            name_off,
            of_off <= SHARE_OF_OFF,
            f"{fmt(mean, 0)} ÷ {fmt(off_mean, 0)} ms = {fmt(of_off, 3)} (target ≤ {SHARE_OF_OFF})",
        ),
    ]


def _repeat(probe: RepeatProbe | str) -> Target:
    name = "(2) one public read, then 11 identical at concurrency 4"
    if isinstance(probe, str):
        return Target(name, False, probe)
    slowest = max(probe.latencies_ms, default=float("nan"))
    ok = all(s == 200 for s in [probe.first_status, *probe.statuses])
    met = ok and probe.further_calls == 0 and slowest <= FAST_MS
    return Target(
        name,
        met,
        f"catalog calls after the first: {probe.further_calls} (target 0); slowest of the 11: "
        f"{fmt(slowest, 0)} ms (target ≤ {FAST_MS:.0f} ms)" + ("" if ok else "; a read failed"),
    )


def _shared(probe: SharedPagesProbe | str) -> Target:
    name = "(3) /me/recommendations of a user whose genres' pages are cached"
    if isinstance(probe, str):
        return Target(name, False, probe)
    ok = probe.stored and all(200 <= s < 300 for s in probe.statuses)
    return Target(
        name,
        ok and probe.second_calls == 0,
        f"catalog calls: {probe.second_calls} (target 0; the first user's, filling the pages: "
        f"{probe.first_calls})" + ("" if ok else "; the ratings were not stored, or a call failed"),
    )


def _throttle(probe: ThrottleProbe | str, concurrency: int) -> Target:
    name = f"(4) a request beyond LAMBDA_CONCURRENCY ({concurrency}) refused"
    if isinstance(probe, str):
        return Target(name, False, probe)
    refused = probe.status >= 500
    return Target(
        name,
        refused and probe.latency_ms <= FAST_MS,
        f"{'refused' if refused else 'not refused'} ({probe.status}) in "
        f"{fmt(probe.latency_ms, 1)} ms (target ≤ {FAST_MS:.0f} ms)",
    )


def cost_targets(
    modes: list[ModeResults], probes: Probes, latency_ms: int, concurrency: int
) -> list[Target]:
    """Targets 1-4 from the modes (by name) and the probes."""
    by_name = {m.mode: m for m in modes}
    return [
        *_billed(by_name.get(SHIPPED), by_name.get(OFF), latency_ms),
        _repeat(probes.repeat),
        _shared(probes.shared),
        _throttle(probes.throttle, concurrency),
    ]
