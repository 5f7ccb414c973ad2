"""The Lambda path, measured in fresh processes: cold start as deployed, peak RSS, warm calls, the
worker."""

from dataclasses import dataclass

from infra.bench.harness.children import probe_env, run_probe
from infra.bench.suites.coldstart.measure import ColdStart, measure_all
from infra.bench.suites.full.plan import Plan
from infra.bench.suites.lambda_path.records import ApiProbe, WarmCalls
from infra.bench.suites.worker.records import WorkerProbe


@dataclass(frozen=True)
class LambdaSection:
    """Everything measured about the handlers outside the HTTP path; a str says why a probe has
    no result."""

    coldstarts: list[ColdStart]
    api: ApiProbe | str
    worker: WorkerProbe | str

    def warm(self, path: str) -> WarmCalls | None:
        """The warm-invocation numbers for one path (None if not measured)."""
        if isinstance(self.api, str):
            return None
        return next((w for w in self.api.warm if w.path == path), None)


def measure_lambda_path(plan: Plan, catalog_url: str) -> LambdaSection:
    """Run every Lambda-path measurement; the catalog should answer at 0 ms by now."""
    env = probe_env(catalog_url)
    coldstarts = measure_all(plan.cold_runs)
    budget = ["--budget-s", "60"]
    api = run_probe(
        "infra.bench.suites.lambda_path.probe",
        ["--rss-invocations", str(plan.rss_invocations), "--calls", str(plan.warm_calls), *budget],
        env,
        180,
        ApiProbe,
    )
    worker = run_probe(
        "infra.bench.suites.worker.probe",
        ["--batches", str(plan.worker_batches), *budget],
        env,
        180,
        WorkerProbe,
    )
    return LambdaSection(coldstarts, api, worker)
