"""Run the bench-full matrix and the target runs against a started stack, with progress lines."""

from infra.bench.harness.catalog_control import CatalogControl
from infra.bench.harness.report import fmt
from infra.bench.harness.runs import Runner, RunRecord
from infra.bench.harness.stacks import BenchUrls
from infra.bench.suites.full.plan import (
    ROUTES,
    Plan,
    Route,
    Step,
    capacity,
    size,
    steps,
    throughput_cells,
)
from infra.bench.suites.full.records import MatrixRun, PairRun


def url_for(route: Route, urls: BenchUrls) -> str:
    """Where `route` is served in this stack."""
    base = {"api": urls.api, "lambda": urls.lambda_api, "baseline": urls.baseline}[route.service]
    if base is None:
        raise ValueError(f"{route.service} is not running")
    return base + route.path


def _measure(
    runner: Runner, plan: Plan, urls: BenchUrls, step: Step, n: int, prefix: str = ""
) -> RunRecord:
    route = step.route
    bound = capacity(route, plan)
    # The Lambda path's floor counts its environments (a real deployment would scale out);
    # the blocking route's does not: its 40 threads are the lesson.
    floor_capacity = bound if route.capacity_of == "environments" else None
    return runner.run(
        route.label,
        url_for(route, urls),
        n,
        step.c,
        step.latency_ms,
        log_name=f"{prefix}{route.key}-L{step.latency_ms}-c{step.c}",
        capacity=bound,
        floor_capacity=floor_capacity,
    )


def _summary(record: RunRecord) -> str:
    result = record.result
    if result.error:
        return f"error: {result.error}"
    text = f"{fmt(result.time_s, 2)} s, {fmt(result.rps, 0)} req/s, p50 {fmt(result.p50_ms, 0)} ms"
    if result.failed or result.non_2xx:
        text += f", {result.failed} failed, {result.non_2xx} non-2xx"
    return text


def warm_up(runner: Runner, plan: Plan, urls: BenchUrls, catalog: CatalogControl) -> None:
    """A few requests to every route at 0 ms, so first-request costs stay out of the numbers.

    The cached API is warmed on /health only: its /movies cache must start empty for target (2).
    """
    catalog.set_latency(0)
    c = min(plan.environments, 10)
    for route in ROUTES.values():
        _measure(runner, plan, urls, Step(route, 0, c, 4 * c), 4 * c, prefix="warmup-")
    if urls.api_cached:
        runner.run("warm-up", urls.api_cached + "/health", 4 * c, c, 0, log_name="warmup-cached")
    # Environments start on demand and import the handler (~1 s of CPU each): hold every one
    # busy with a slow catalog, so all have started, and served, before anything is measured.
    catalog.set_latency(200)
    lambda_c = plan.environments
    step = Step(ROUTES["lambda"], 200, lambda_c, 3 * lambda_c)
    _measure(runner, plan, urls, step, 3 * lambda_c, prefix="warmup-")
    catalog.set_latency(0)


def run_matrix(
    plan: Plan, urls: BenchUrls, runner: Runner, catalog: CatalogControl, extra_runs: int
) -> list[MatrixRun]:
    """Every step of the plan, in order; prints `[i/total] ...` as it goes."""
    plan_steps = steps(plan)
    total = len(plan_steps) + extra_runs
    done: list[MatrixRun] = []
    latency_now: int | None = None
    for i, step in enumerate(plan_steps, 1):
        head = f"[{i}/{total}] {step.route.label} c={step.c} L={step.latency_ms}ms"
        if step.n is None:
            print(f"{head} {step.note}", flush=True)
            done.append(MatrixRun(step, None))
            continue
        if step.latency_ms != latency_now:
            catalog.set_latency(step.latency_ms)
            latency_now = step.latency_ms
        print(f"{head} n={step.n} ...", end="", flush=True)
        record = _measure(runner, plan, urls, step, step.n)
        print(f" {_summary(record)}", flush=True)
        done.append(MatrixRun(step, record))
    return done


def run_cache_pair(
    plan: Plan, urls: BenchUrls, runner: Runner, catalog: CatalogControl, first: int, total: int
) -> tuple[RunRecord, RunRecord]:
    """Targets (1) and (2): /movies with caching off, then on, at the target size and latency."""
    if urls.api_cached is None:
        raise ValueError("the cached API is not running")
    catalog.set_latency(plan.target_latency_ms)
    n, c, latency = plan.target_n, plan.target_c, plan.target_latency_ms
    records = []
    for i, (name, base) in enumerate((("off", urls.api), ("on", urls.api_cached)), first):
        print(f"[{i}/{total}] /movies caching {name} c={c} L={latency}ms n={n} ...", end="")
        record = runner.run(
            f"/movies caching {name}", base + "/movies", n, c, latency, log_name=f"cache-{name}"
        )
        print(f" {_summary(record)}, upstream calls {record.upstream_calls}", flush=True)
        records.append(record)
    return records[0], records[1]


def run_extra_pairs(
    plan: Plan, urls: BenchUrls, runner: Runner, catalog: CatalogControl, first: int, total: int
) -> list[PairRun]:
    """More back-to-back pairs for each throughput target, at catalog latency 0, the order
    alternating from pair to pair; every run, in order."""
    catalog.set_latency(0)
    extra: list[PairRun] = []
    i = first
    for repeat in range(plan.extra_pairs):
        for subject, baseline, c in throughput_cells(plan):
            pair = (baseline, subject) if repeat % 2 == 0 else (subject, baseline)
            for key in pair:
                route = ROUTES[key]
                n, _ = size(route, 0, c, plan)
                assert n is not None  # a route at latency 0 is never skipped
                print(f"[{i}/{total}] {route.label} c={c} L=0ms n={n} (pair {repeat + 2})", end="")
                record = _measure(
                    runner, plan, urls, Step(route, 0, c, n), n, prefix=f"pair{repeat}-"
                )
                print(f" {_summary(record)}", flush=True)
                extra.append(PairRun(key, c, record))
                i += 1
    return extra


def extra_runs(plan: Plan) -> int:
    """How many runs run_extra_pairs makes."""
    return 2 * plan.extra_pairs * len(throughput_cells(plan))
