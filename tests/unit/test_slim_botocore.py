"""The build keeps botocore's data for the named services only, and they resolve as before."""

import shutil
from pathlib import Path

import botocore
import pytest
from botocore.loaders import Loader
from botocore.regions import EndpointResolver

from slim_botocore import slim

DATA = Path(botocore.__file__).parent / "data"
KEPT = {"dynamodb", "sqs", "sso"}
REGIONS = ("us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "nowhere-1")


@pytest.fixture
def artifact(tmp_path: Path) -> Path:
    """An artifact whose botocore data holds the kept services, s3, and the shared files."""
    data = tmp_path / "botocore" / "data"
    data.mkdir(parents=True)
    for name in [*KEPT, "s3"]:
        shutil.copytree(DATA / name, data / name)
    for path in DATA.glob("*.json"):
        shutil.copy(path, data)
    return tmp_path


def _resolver(data: Path) -> EndpointResolver:
    loader = Loader(extra_search_paths=[str(data)], include_default_search_paths=False)
    return EndpointResolver(loader.load_data("endpoints"), loader.load_data("partitions"))


def test_only_the_named_services_stay(artifact: Path) -> None:
    data = artifact / "botocore" / "data"
    assert slim(artifact, KEPT) == ["s3"]
    loader = Loader(extra_search_paths=[str(data)], include_default_search_paths=False)
    assert set(loader.list_available_services("service-2")) == KEPT
    assert (data / "_retry.json").is_file()


def test_kept_services_resolve_their_endpoints_as_before(artifact: Path) -> None:
    full = _resolver(DATA)
    slim(artifact, KEPT)
    slimmed = _resolver(artifact / "botocore" / "data")
    for prefix in ("dynamodb", "sqs", "portal.sso"):
        for region in REGIONS:
            expected = full.construct_endpoint(prefix, region)
            assert slimmed.construct_endpoint(prefix, region) == expected, (prefix, region)


def test_an_artifact_without_botocore_is_left_alone(tmp_path: Path) -> None:
    assert slim(tmp_path, KEPT) == []


def test_a_service_botocore_lacks_is_an_error(artifact: Path) -> None:
    with pytest.raises(ValueError, match="no-such-service"):
        slim(artifact, {"dynamodb", "no-such-service"})


def test_files_hard_linked_to_an_installers_cache_are_never_written_through(
    artifact: Path, tmp_path: Path
) -> None:
    # uv installs by hard link from its cache unless told otherwise: slimming the artifact in
    # place once slimmed every venv made from that cache afterwards (moto then lost its regions).
    endpoints = artifact / "botocore" / "data" / "endpoints.json"
    cached = tmp_path / "cache-endpoints.json"
    cached.hardlink_to(endpoints)
    before = cached.read_bytes()
    slim(artifact, KEPT)
    assert cached.read_bytes() == before
    assert endpoints.read_bytes() != before
    assert not list(endpoints.parent.glob("*.slim"))
