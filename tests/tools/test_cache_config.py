"""Where the catalog cache is on: make run and make run-lambda as template.yaml says, and off,
or one process's only, in the benchmarks that teach the async lesson (nothing is started)."""

from pathlib import Path

import pytest

from infra.bench.harness.children import probe_env
from infra.bench.harness.stacks import bench_stack
from infra.gateway.function_config import function_config
from infra.local.processes import Service
from infra.local.services import api_service, lambda_service
from infra.local.template import load_template
from movies.settings import Settings

TEMPLATE_TTL_S = float(load_template()["Parameters"]["CatalogCacheTtl"]["Default"])


def settings_of(env: dict[str, str]) -> Settings:
    """The settings a process with `env` (and nothing else of ours) reads."""
    return Settings(**{k.lower(): v for k, v in env.items() if k.lower() in Settings.model_fields})


def served(service: Service) -> Settings:
    """The settings the API behind `service` runs with: the stand-in's environments get the
    template's variables under the service's own (infra.gateway.function_config)."""
    env = function_config(service.env).env if service.name == "lambda" else service.env
    return settings_of(env)


def test_make_run_and_make_run_lambda_share_a_cache_with_the_templates_ttl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CATALOG_CACHE_TTL_S", raising=False)
    assert TEMPLATE_TTL_S > 0
    for service in (api_service(1, 2, {}), lambda_service(1, 2, {})):
        settings = served(service)
        assert settings.catalog_cache_ttl_s == TEMPLATE_TTL_S, service.name
        assert settings.catalog_shared_cache, service.name


def test_a_developers_own_ttl_wins_over_the_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOG_CACHE_TTL_S", "7")
    assert "CATALOG_CACHE_TTL_S" not in api_service(1, 2, {}).env  # so the process's 7 holds


def test_the_lessons_benchmarks_turn_caching_off_explicitly(tmp_path: Path) -> None:
    stack, _ = bench_stack(3000, tmp_path, lambda_path=True, cached=True)
    apis = {s.name: served(s) for s in stack.services if s.name != "catalog"}
    assert set(apis) == {"api", "lambda", "api-cached"}
    # The blocking-vs-async rows, uvicorn and Lambda path: no cache, in either layer.
    assert apis["api"].catalog_cache_ttl_s == 0
    assert apis["lambda"].catalog_cache_ttl_s == 0
    assert settings_of(probe_env()).catalog_cache_ttl_s == 0
    # The cached row measures one process's cache: no shared layer (and no AWS to reach).
    assert apis["api-cached"].catalog_cache_ttl_s > 0
    assert not apis["api-cached"].catalog_shared_cache
