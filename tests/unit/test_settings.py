"""Settings come from the environment as pydantic-settings read them: by field name in any case,
converted and validated, with keyword arguments first and unknown variables ignored."""

import pytest
from pydantic import ValidationError

from movies.settings import Settings


def test_each_field_is_read_from_its_upper_case_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_NAME", "ratings")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "5")
    monkeypatch.setenv("REQUEST_DEADLINE_S", "2.5")
    monkeypatch.setenv("DOCS_ENABLED", "false")
    monkeypatch.setenv("CATALOG_TRANSPORT", "httpx")
    settings = Settings()
    assert settings.table_name == "ratings"
    assert settings.aws_max_attempts == 5
    assert settings.request_deadline_s == 2.5
    assert settings.docs_enabled is False
    assert settings.catalog_transport == "httpx"


def test_names_match_in_any_case_and_unknown_variables_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("log_FILE", "request.log")
    monkeypatch.setenv("NOT_A_SETTING", "x")
    assert Settings().log_file == "request.log"


def test_arguments_come_before_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.setenv("CATALOG_URL", "http://plain")
    assert Settings(catalog_url="https://catalog.example").stage == "prod"
    with pytest.raises(ValidationError, match="https"):
        Settings()


def test_an_invalid_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "9")
    with pytest.raises(ValidationError, match="aws_max_attempts"):
        Settings()


def test_unset_fields_keep_their_defaults_and_the_settings_are_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TABLE_NAME", raising=False)
    settings = Settings()
    assert settings.table_name == "movie-api"
    with pytest.raises(ValidationError):
        settings.table_name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("stage", "url", "valid"),
    [
        ("prod", "https://catalog.example", True),
        ("prod", "http://catalog.example", False),
        ("dev", "http://127.0.0.1:8001", True),
    ],
)
def test_prod_reaches_the_catalog_only_over_https(stage: str, url: str, valid: bool) -> None:
    if valid:
        assert Settings(stage=stage, catalog_url=url).catalog_url == url
    else:
        with pytest.raises(ValueError, match="https"):
            Settings(stage=stage, catalog_url=url)
