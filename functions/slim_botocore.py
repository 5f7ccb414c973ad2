"""Build step (functions/Makefile): botocore's data for only the services the functions can call.

    python slim_botocore.py ARTIFACTS_DIR SERVICE [SERVICE ...]

Creating a client makes botocore list every service directory under botocore/data (about 440,
two scans of a thousand stat calls) and parse endpoints.json (1.2 MB: every service in every
partition), about 35 ms of the worker's cold start. With only the named services kept, both are
small. A client of any service left out fails with UnknownServiceError; the kept ones resolve
their endpoints from the same partition data as before.
"""

import gzip
import json
import shutil
import sys
from pathlib import Path
from typing import Any


def _load(path: Path) -> Any:
    """A model file, plain or gzipped (botocore reads both; it ships most of them gzipped)."""
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    with gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8") as file:
        return json.load(file)


def endpoint_prefix(service_dir: Path) -> str:
    """The key of the service in endpoints.json: its model's endpointPrefix (newest version)."""
    newest = max(path for path in service_dir.iterdir() if path.is_dir())
    prefix: str = _load(newest / "service-2.json")["metadata"]["endpointPrefix"]
    return prefix


def slim(artifact: Path, services: set[str]) -> list[str]:
    """Keep only `services` under botocore/data and in endpoints.json; return what was removed.

    An artifact without botocore is left alone; a named service botocore lacks is an error.
    """
    data = artifact / "botocore" / "data"
    if not data.is_dir():
        return []
    unknown = sorted(services - {path.name for path in data.iterdir() if path.is_dir()})
    if unknown:
        raise ValueError(f"botocore has no data for {unknown}")
    removed = sorted(p.name for p in data.iterdir() if p.is_dir() and p.name not in services)
    for name in removed:
        shutil.rmtree(data / name)
    prefixes = {endpoint_prefix(data / name) for name in services}
    endpoints = data / "endpoints.json"
    document = json.loads(endpoints.read_text(encoding="utf-8"))
    for partition in document["partitions"]:
        partition["services"] = {
            key: value for key, value in partition["services"].items() if key in prefixes
        }
    # A new file renamed over the old one, never a write into it: an installer may have
    # hard-linked the artifact's files to its cache (uv's default link mode), and writing through
    # the link would slim every later venv made from that cache.
    slimmed = endpoints.with_name("endpoints.json.slim")
    slimmed.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    slimmed.replace(endpoints)
    return removed


def main(argv: list[str]) -> int:
    """Command line for the build recipe."""
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    removed = slim(Path(argv[0]), set(argv[1:]))
    print(f"botocore data: kept {' '.join(sorted(argv[1:]))}; removed {len(removed)} services")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
