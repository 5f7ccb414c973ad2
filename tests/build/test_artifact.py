"""The Lambda artifact that `sam build` makes: arm64 cp313 wheels, our packages, no dev tools,
and unchecked-hash CPython 3.13 bytecode for every module.

Runs the real build (functions/Makefile through sam build) into a temporary directory, as
`make build` does. It needs the pinned SAM CLI in .tools/ (`make sam-tools`); without it the tests
fail, they are never skipped. It takes seconds with a warm uv cache.
"""

import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from infra.local.processes import ROOT
from infra.local.template import TEMPLATE

SAM = ROOT / ".tools" / "bin" / "sam"
UV = ROOT / ".tools" / "bin" / "uv"
FUNCTIONS = ROOT / "functions"
# What functions/Makefile copies into the API and the worker: the product's own packages.
FIRST_PARTY = ("movies", "handlers")
# The API's pre-traffic hook: handlers/ and the AWS SDK's locked distributions, the data of the
# two services it calls and of the credential providers'.
HOOK = "ApiPreTrafficHook"
HOOK_DISTRIBUTIONS = {
    "boto3",
    "botocore",
    "jmespath",
    "python-dateutil",
    "s3transfer",
    "six",
    "urllib3",
}
CREDENTIAL_SERVICES = {"sts", "sso", "sso-oidc", "signin"}
# Fewer modules than these: not the real artifact (FastAPI alone has more than 500; boto3,
# botocore and urllib3 together about 200).
MIN_MODULES = {"ApiFunction": 500, "WorkerFunction": 500, HOOK: 150}

# Unzipped size budget, the sum of the artifact's file sizes. Measured with uv.lock of 2026-11:
# 16.0 MiB (FastAPI, pydantic, Powertools, httpx, requests, Mangum; zipped 4.9 MiB). boto3 and
# botocore, once locked, add 25.7 MiB (measured for cp313 aarch64). The .pyc files add 13.0 MiB
# (1,228 modules, measured 2026-11-29). Each budget is the measure plus about 30%; Lambda's own
# limit is 250 MB.
BASE_BUDGET_MIB = 21
BOTO3_BUDGET_MIB = 34
BYTECODE_BUDGET_MIB = 17
# PEP 552: the .pyc header's flags word (bytes 4-8, little-endian). Bit 0: hash-based; bit 1:
# check the source. unchecked-hash is 0b01: the .pyc is used whatever the zip's timestamps say.
UNCHECKED_HASH_FLAGS = 0b01
PYC_TAG = "cpython-313"

# As infra/sam.mk exports the requirements that functions/Makefile installs.
EXPORT_RUNTIME = (str(UV), "export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project")
EM_AARCH64 = 0xB7
# Import names of tools that must never ship, whatever the dev group says today.
DEV_ONLY_IMPORTS = (
    "pytest",
    "_pytest",
    "pytest_asyncio",
    "ruff",
    "mypy",
    "mypyc",
    "uvicorn",
    "moto",
    "watchfiles",
    "uvloop",
    "httptools",
)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked_names(*export_args: str) -> dict[str, str]:
    """{normalized name: marker or ""} of `uv export` for the given selection of groups."""
    command = [str(UV), "export", "--frozen", "--no-hashes", "--no-emit-project", "--quiet"]
    out = subprocess.run(
        [*command, *export_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {}
    for line in out.splitlines():
        if not line or line.startswith((" ", "#", "-")):
            continue
        requirement, _, marker = line.partition(";")
        names[_normalize(re.split(r"[=<>~!\[ ]", requirement, maxsplit=1)[0])] = marker.strip()
    return names


def _installed_distributions(artifact: Path) -> set[str]:
    return {
        _normalize(info.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        for info in artifact.glob("*.dist-info")
    }


def source_bytecode() -> dict[Path, int]:
    """Every .pyc under functions/, with its modification time."""
    return {p: p.stat().st_mtime_ns for p in FUNCTIONS.rglob("*.pyc") if "__pycache__" in p.parts}


@dataclass(frozen=True)
class Build:
    """A fresh `sam build`: where it wrote, and the .pyc files it wrote or rewrote in functions/."""

    out: Path
    source_bytecode: list[Path]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """A fresh `sam build`. The dev venv is CPython 3.13 too, so the source tree may hold 3.13
    bytecode of its own from the tests' imports: what counts is what the build adds."""
    if not SAM.is_file():
        pytest.fail(f"SAM CLI not found at {SAM}: run `make sam-tools` (make test does it first)")
    if not UV.is_file():
        pytest.fail(f"uv not found at {UV}: run `make setup`")
    work = tmp_path_factory.mktemp("sam")
    requirements = work / "requirements.lambda.txt"
    subprocess.run(
        [*EXPORT_RUNTIME, "--quiet", "--output-file", str(requirements)],
        cwd=ROOT,
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env |= {"UV": str(UV), "REQUIREMENTS": str(requirements), "SAM_CLI_TELEMETRY": "0"}
    out = work / "build"
    before = source_bytecode()
    proc = subprocess.run(
        [str(SAM), "build", "--template-file", str(TEMPLATE), "--build-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"sam build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    written = [p for p, mtime in source_bytecode().items() if before.get(p) != mtime]
    yield Build(out, written)
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def build_dir(build: Build) -> Path:
    """The build directory of a fresh `sam build`."""
    return build.out


@pytest.fixture(scope="module")
def artifact(build_dir: Path) -> Path:
    path = build_dir / "ApiFunction"
    assert path.is_dir(), f"no ApiFunction artifact in {build_dir}"
    return path


def _elf_machine(path: Path) -> int:
    header = path.read_bytes()[:20]
    assert header[:4] == b"\x7fELF", f"{path.name} is not an ELF file"
    assert header[4] == 2, f"{path.name} is not 64-bit"
    assert header[5] == 1, f"{path.name} is not little-endian"
    (machine,) = struct.unpack_from("<H", header, 18)
    return int(machine)


def test_pydantic_core_is_an_aarch64_cpython313_extension(artifact: Path) -> None:
    [extension] = artifact.glob("pydantic_core/_pydantic_core*.so")
    assert "cpython-313" in extension.name
    assert "aarch64" in extension.name
    assert _elf_machine(extension) == EM_AARCH64


def test_every_native_extension_is_aarch64(artifact: Path) -> None:
    extensions = list(artifact.rglob("*.so"))
    assert extensions
    wrong = [str(p.relative_to(artifact)) for p in extensions if _elf_machine(p) != EM_AARCH64]
    assert not wrong, f"not aarch64: {wrong}"
    other_python = [p.name for p in extensions if re.search(r"cpython-3(?!13)\d+", p.name)]
    assert not other_python, f"built for another CPython: {other_python}"


def test_no_dev_only_package(artifact: Path) -> None:
    present = [name for name in DEV_ONLY_IMPORTS if (artifact / name).exists()]
    assert not present, f"dev-only packages in the artifact: {present}"
    dev_only = set(_locked_names("--all-groups")) - set(_locked_names("--no-dev"))
    assert "pytest" in dev_only  # the lock still has a dev group: the check below means something
    shipped = dev_only & _installed_distributions(artifact)
    assert not shipped, f"dev-group distributions in the artifact: {sorted(shipped)}"


def test_every_locked_runtime_package_is_installed(artifact: Path) -> None:
    runtime = _locked_names("--no-dev")
    unconditional = {name for name, marker in runtime.items() if not marker}
    missing = unconditional - _installed_distributions(artifact)
    assert not missing, f"locked runtime packages missing: {sorted(missing)}"


def test_our_packages_without_caches_or_tests(artifact: Path, build_dir: Path) -> None:
    assert (artifact / "movies" / "__init__.py").is_file()
    assert (artifact / "movies" / "api" / "app.py").is_file()
    assert (artifact / "handlers").is_dir()
    built = yaml.safe_load((build_dir / "template.yaml").read_text())
    module, _, _ = built["Resources"]["ApiFunction"]["Properties"]["Handler"].rpartition(".")
    assert (artifact / (module.replace(".", "/") + ".py")).is_file(), f"{module} not in artifact"
    assert not list(artifact.rglob("*.pyo"))
    assert not [p for p in artifact.rglob("*.pyc") if p.parent.name != "__pycache__"]
    assert not (artifact / "tests").exists()
    assert not (artifact / "bin").exists()
    assert not (artifact / "Makefile").exists()


@pytest.mark.parametrize("function", ["ApiFunction", "WorkerFunction"])
def test_only_product_code_ships(build_dir: Path, function: str) -> None:
    """Exactly functions/movies and functions/handlers: no fake, simulator or local-stack code."""
    artifact = build_dir / function
    ours = {
        str(path.relative_to(FUNCTIONS))
        for package in FIRST_PARTY
        for path in (FUNCTIONS / package).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    shipped = {
        str(path.relative_to(artifact))
        for package in FIRST_PARTY
        for path in (artifact / package).rglob("*.py")
    }
    assert shipped == ours
    for name in ("infra", "tests", "catalog_sim", "moto"):
        assert not (artifact / name).exists(), f"{name} shipped in {function}"
    test_only = re.compile(r"^(class (InMemory|Fake)\w*|\s*(from|import) (infra|tests)\b)", re.M)
    offenders = [
        f"{path}: {match.group(0).strip()}"
        for path in sorted(shipped)
        if (match := test_only.search((artifact / path).read_text()))
    ]
    assert not offenders, f"test or local-stack code in {function}: {offenders}"


@pytest.mark.parametrize("function", ["ApiFunction", "WorkerFunction"])
def test_botocore_keeps_the_data_of_the_services_the_code_calls_only(
    build_dir: Path, function: str
) -> None:
    """Creating a client scans every service directory and parses endpoints.json: a few kept
    services (functions/slim_botocore.py) make both cheap, but each client's must be there."""
    data = build_dir / function / "botocore" / "data"
    kept = {path.name for path in data.iterdir() if path.is_dir()}
    clients = (FUNCTIONS / "movies" / "aws" / "clients.py").read_text()
    called = set(re.findall(r'boto3\.client\("([\w-]+)"', clients))
    assert called == {"dynamodb", "sqs"}, "a new client: add its service to BOTOCORE_SERVICES"
    assert called <= kept <= called | CREDENTIAL_SERVICES
    assert (data / "endpoints.json").stat().st_size < 200_000, "endpoints.json not slimmed"


def test_the_hook_ships_handlers_and_the_aws_sdk_only(build_dir: Path) -> None:
    artifact = build_dir / HOOK
    assert _installed_distributions(artifact) == HOOK_DISTRIBUTIONS
    assert (artifact / "handlers" / "pre_traffic.py").is_file()
    assert not (artifact / "movies").exists()
    kept = {path.name for path in (artifact / "botocore" / "data").iterdir() if path.is_dir()}
    assert kept == {"codedeploy", "lambda"} | CREDENTIAL_SERVICES
    # Each distribution picked is the locked one: the hook runs the SDK the API runs.
    api = build_dir / "ApiFunction"
    for info in artifact.glob("*.dist-info"):
        assert (api / info.name).is_dir(), f"{info.name}: not the ApiFunction's locked version"


def test_the_hook_starts_from_its_artifact_alone(build_dir: Path) -> None:
    """Imported as the runtime imports it, with nothing on the path but the artifact (-I -S: no
    site-packages, no PYTHON* variables): it builds both clients and its handler."""
    artifact = build_dir / HOOK
    script = (
        "import sys; sys.path[:0] = [sys.argv[1]]\n"
        "import handlers.pre_traffic as entry\n"
        "assert callable(entry.handler)\n"
    )
    env = {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "API_VERSION_ARN": "arn:aws:lambda:us-east-1:123456789012:function:api:7",
        "_HANDLER": "handlers.pre_traffic.handler",
    }
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script, str(artifact)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def _pyc_flags(path: Path) -> int:
    (flags,) = struct.unpack_from("<I", path.read_bytes()[4:8])
    return int(flags)


@pytest.mark.parametrize("function", sorted(MIN_MODULES))
def test_every_module_has_unchecked_hash_cpython313_bytecode(
    build_dir: Path, function: str
) -> None:
    """/var/task is read-only: a module without its .pyc is compiled from source at every cold
    start. unchecked-hash: valid whatever timestamps the deployment zip gives the sources."""
    artifact = build_dir / function
    sources = list(artifact.rglob("*.py"))
    assert len(sources) > MIN_MODULES[function], "too few modules: not the real artifact"
    missing, wrong_flags = [], []
    for source in sources:
        pyc = source.parent / "__pycache__" / f"{source.stem}.{PYC_TAG}.pyc"
        if not pyc.is_file():
            missing.append(str(source.relative_to(artifact)))
        elif _pyc_flags(pyc) != UNCHECKED_HASH_FLAGS:
            wrong_flags.append(f"{pyc.relative_to(artifact)}: {_pyc_flags(pyc):#04b}")
    assert not missing, f"{len(missing)} modules without {PYC_TAG} bytecode: {missing[:10]}"
    assert not wrong_flags, f"not unchecked-hash (flags 0b01): {wrong_flags[:10]}"


def test_source_tree_gets_no_bytecode(build: Build) -> None:
    """Only the artifact is compiled: sam build copies functions/ as it is, caches included."""
    assert (build.out / "ApiFunction" / "movies" / "__pycache__").is_dir()
    written = build.source_bytecode
    assert not written, f"the build wrote bytecode into the source tree: {written[:5]}"


def _recipe(
    artifacts: Path, *variables: str, env: dict[str, str] | None = None
) -> "subprocess.CompletedProcess[str]":
    """functions/Makefile's build-ApiFunction alone, with an empty requirements file."""
    requirements = artifacts.parent / "requirements.txt"
    requirements.write_text("")
    command = ["make", "--no-print-directory", "-C", str(FUNCTIONS), "build-ApiFunction"]
    return subprocess.run(
        [*command, f"ARTIFACTS_DIR={artifacts}", f"REQUIREMENTS={requirements}", f"UV={UV}",
         *variables],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_build_fails_without_a_cpython313(tmp_path: Path) -> None:
    """No CPython 3.13 anywhere: the recipe stops before it makes an artifact without bytecode."""
    artifacts = tmp_path / "artifact"
    artifacts.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",  # no pyenv, no python3.13
        "HOME": str(tmp_path),  # no ~/.pyenv/versions
        "UV_PYTHON_INSTALL_DIR": str(tmp_path / "uv-pythons"),  # no uv-managed Python
        "UV_CACHE_DIR": str(tmp_path / "uv-cache"),
        # Nor the project's own .venv (CPython 3.13 too), which uv finds from functions/ up.
        "UV_PYTHON_PREFERENCE": "only-managed",
    }
    proc = _recipe(artifacts, env=env)
    assert proc.returncode != 0
    assert "No CPython 3.13 found" in proc.stderr
    assert "uv python install 3.13" in proc.stderr
    assert "LAMBDA_BUILD_PYTHON=" in proc.stderr
    assert not list(artifacts.iterdir()), "something was installed before the build failed"


def test_build_refuses_a_build_python_that_does_not_print_3_13(tmp_path: Path) -> None:
    artifacts = tmp_path / "artifact"
    artifacts.mkdir()
    proc = _recipe(artifacts, "LAMBDA_BUILD_PYTHON=/bin/true")  # exits 0, prints no version
    assert proc.returncode != 0
    assert "is not a working CPython 3.13" in proc.stderr
    assert not list(artifacts.iterdir())


def test_artifact_size_is_within_budget(artifact: Path) -> None:
    size = sum(p.stat().st_size for p in artifact.rglob("*") if p.is_file() and not p.is_symlink())
    budget_mib = BASE_BUDGET_MIB + BYTECODE_BUDGET_MIB
    budget_mib += BOTO3_BUDGET_MIB if (artifact / "botocore").is_dir() else 0
    assert size <= budget_mib * 2**20, f"artifact {size / 2**20:.1f} MiB > budget {budget_mib} MiB"
