"""`python -m infra.bench <suite> [options]`: one sub-command per benchmark (infra/bench.mk)."""

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from infra.bench.suites import lesson, ratings, recommendations
from infra.bench.suites.coldstart import suite as coldstart
from infra.bench.suites.cost import capacity_page
from infra.bench.suites.cost import suite as cost
from infra.bench.suites.full import suite as full

# sub-command -> the suite module: its docstring is the help, add_arguments and main the rest.
SUITES: dict[str, ModuleType] = {
    "lesson": lesson,  # make bench
    "full": full,  # make bench-full
    "coldstart": coldstart,  # make bench-coldstart
    "recommendations": recommendations,  # make bench-recommendations
    "ratings": ratings,  # make bench-ratings
    "cost": cost,  # make bench-cost
    "capacity": capacity_page,  # docs/capacity.md from bench-cost's results
}


def parser() -> argparse.ArgumentParser:
    """The command line: a sub-parser per suite."""
    top = argparse.ArgumentParser(prog="python -m infra.bench", description=__doc__)
    subparsers = top.add_subparsers(dest="suite", required=True, metavar="SUITE")
    for name, module in SUITES.items():
        doc = module.__doc__ or name
        sub = subparsers.add_parser(
            name,
            help=doc.splitlines()[0],
            description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        run: Callable[[argparse.Namespace], int] = module.main
        sub.set_defaults(run=run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the suite it names."""
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
