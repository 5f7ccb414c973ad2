"""The soak: mixed load at concurrency 100 against the whole local stack with faults everywhere.

    python -m infra.soak.soak --seconds 120        # make soak SOAK_SECONDS=120

Faults: the catalog errs, hangs past the request deadline and answers bad JSON (its control
plane); 1% of SQS sends are refused (infra.soak.faulty_app); 10% of queue records fail their first
attempt in the worker. It passes when no answer is a 500 or slower than the deadline + 1 s,
every 202 rating is stored exactly once with its own event id, no refused rating is stored, the
queue drains and the DLQ stays empty. Loopback only; every loop bounded in count and time.
"""

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import httpx

from infra.gateway.parameters import stage_throttle
from infra.local.processes import Service
from infra.local.services import uvicorn_service
from infra.local.stack import running_stack
from infra.soak.soak_check import BacklogWatch, read_stored
from infra.soak.soak_load import RECOMMENDATION_LIMIT, LoadConfig, run_load
from infra.soak.soak_report import SoakReport
from infra.soak.soak_verdict import build_report

DEADLINE_S = 3.0


@dataclass(frozen=True)
class SoakConfig:
    """The soak's knobs; the defaults are `make soak`'s."""

    seconds: float = 120.0
    concurrency: int = 100
    # Each client pauses 0-10 s (5 s on average) between requests: about 20 requests/s, so the
    # soak measures the app's faults, not the local stack's capacity (docs/guarantees.md: the
    # two pollers store about 70 ratings a second on 2 cores). --think-s 0 is a closed loop.
    think_s: float = 5.0
    max_requests: int = 1_000_000
    deadline_s: float = DEADLINE_S
    worker_fault_rate: float = 0.1
    queue_fault_rate: float = 0.01
    seed: int = 0
    drain_timeout_s: float = 180.0

    def catalog_faults(self) -> dict[str, float | int]:
        """The catalog simulator's settings: 20 ms, and faults; a hang outlasts the deadline."""
        return {
            "latency_ms": 20,
            "error_rate": 0.05,
            "timeout_rate": 0.02,
            "hang_s": self.deadline_s + 1,
            "invalid_json_rate": 0.01,
            "seed": self.seed,
        }


def faulty_api(port: int, catalog_port: int, env: dict[str, str]) -> Service:
    """The soak's API: the same app under uvicorn, but some SQS sends refused (faulty_app.py)."""
    return uvicorn_service("api", "infra.soak.faulty_app:create_app", port, catalog_port, env)


def run_soak(config: SoakConfig) -> SoakReport:
    """Start the stack, load it, let the worker drain, and judge what happened."""
    run = f"soak{int(time.time() * 1000)}-"
    api_env = {
        "REQUEST_DEADLINE_S": f"{config.deadline_s:g}",
        "QUEUE_FAULT_RATE": f"{config.queue_fault_rate:g}",
        "QUEUE_FAULT_SEED": str(config.seed),
        # One line per request at this rate would drown the terminal; warnings and errors stay.
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        # The soak loads the API far past the deployed stage's 100 a second, by design: its
        # stage allows what c=100 on loopback can send, so every request reaches the app.
        **stage_throttle(rate=20_000, burst=20_000),
    }
    quiet = {"POWERTOOLS_LOG_LEVEL": "WARNING"}
    with running_stack(
        api=faulty_api,
        api_env=api_env,
        worker_env=quiet,
        worker_fault_rate=config.worker_fault_rate,
    ) as stack:
        control = httpx.put(f"{stack.catalog_url}/_control", json=config.catalog_faults())
        control.raise_for_status()
        load_config = LoadConfig(
            run=run,
            seconds=config.seconds,
            issuer_url=stack.issuer_url,
            concurrency=config.concurrency,
            max_requests=config.max_requests,
            seed=config.seed,
            think_s=config.think_s,
        )
        with BacklogWatch(stack.aws_url, stack.resources) as backlog:
            load = asyncio.run(run_load(stack.api_url, load_config))
        stored = read_stored(stack.aws_url, stack.resources, run, config.drain_timeout_s)
        exited = stack.exited()
    return build_report(
        load,
        stored,
        deadline_s=config.deadline_s,
        recommendation_limit=RECOMMENDATION_LIMIT,
        exited=exited,
        settings=asdict(config),
        backlog=backlog.samples,
    )


def parse_args(argv: Sequence[str] | None = None) -> tuple[SoakConfig, bool]:
    """The command line: the config, and whether to print JSON."""
    parser = argparse.ArgumentParser(prog="python -m infra.soak.soak", description=__doc__)
    defaults = SoakConfig()
    parser.add_argument("--seconds", type=float, default=defaults.seconds)
    parser.add_argument("--concurrency", type=int, default=defaults.concurrency)
    parser.add_argument("--think-s", type=float, default=defaults.think_s)
    parser.add_argument("--max-requests", type=int, default=defaults.max_requests)
    parser.add_argument("--deadline-s", type=float, default=defaults.deadline_s)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--json", action="store_true", help="print the report as JSON only")
    args = parser.parse_args(argv)
    if not 0 < args.seconds <= 3600 or not 0 < args.concurrency <= 1000:
        parser.error("--seconds must be in (0, 3600] and --concurrency in (0, 1000]")
    config = SoakConfig(
        seconds=args.seconds,
        concurrency=args.concurrency,
        think_s=args.think_s,
        max_requests=args.max_requests,
        deadline_s=args.deadline_s,
        seed=args.seed,
    )
    return config, bool(args.json)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the soak; exit 1 if any pass criterion failed."""
    config, as_json = parse_args(argv)
    report = run_soak(config)
    if as_json:
        print(json.dumps(asdict(report), indent=2))
    else:
        print(report.summary())
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
