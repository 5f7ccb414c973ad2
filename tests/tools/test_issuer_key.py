"""The development issuer keeps its key across restarts, so its tokens outlive `make run`'s."""

import json
import stat
import urllib.request
from pathlib import Path

from infra.issuer.__main__ import kept_key
from infra.local.processes import HOST, LocalStack, free_port
from infra.local.services import issuer_service


def jwks(issuer_url: str) -> object:
    with urllib.request.urlopen(f"{issuer_url}/.well-known/jwks.json", timeout=5) as response:
        return json.load(response)


def test_a_kept_key_is_made_once_private_to_its_owner_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "state" / "issuer-key.json"
    made = kept_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = kept_key(path)
    assert (again.kid, again.jwk()) == (made.kid, made.jwk())


def test_a_restarted_issuer_publishes_the_same_key(tmp_path: Path) -> None:
    env = {"ISSUER_KEY_FILE": str(tmp_path / "issuer-key.json")}
    published = []
    for _ in range(2):
        port = free_port()
        with LocalStack([issuer_service(port, env)], log_dir=tmp_path):
            published.append(jwks(f"http://{HOST}:{port}"))
    assert published[0] == published[1]
    assert published[0]["keys"]  # type: ignore[index]


def test_without_a_key_file_each_start_has_a_new_key(tmp_path: Path) -> None:
    published = []
    for _ in range(2):
        port = free_port()
        with LocalStack([issuer_service(port)], log_dir=tmp_path):
            published.append(jwks(f"http://{HOST}:{port}"))
    assert published[0] != published[1]
