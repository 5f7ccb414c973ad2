"""The deliberate baseline: a catalog client that blocks its thread, with `requests`.

`requests` is imported on the first call, so a cold start that never serves the baseline
does not pay for it.
"""

from typing import TYPE_CHECKING

from movies.catalog.body_limit import BodyLimit
from movies.catalog.errors import from_requests
from movies.catalog.parsing import movie_query, parse_catalog_response
from movies.catalog.timeouts import Timeouts
from movies.domain.models import MoviePage
from movies.lazy import Lazy
from movies.settings import Settings

if TYPE_CHECKING:
    import requests


class BlockingCatalogClient:
    """Reads movies with a blocking requests.Session; meant to run in a worker thread."""

    def __init__(self, settings: Settings, session: "requests.Session | None" = None) -> None:
        self._base_url = settings.catalog_url.rstrip("/")
        self._max_body_bytes = settings.catalog_max_body_bytes
        self._session = Lazy(lambda: session or _pooled_session(), "requests session")
        timeouts = Timeouts.from_settings(settings)
        # The thread cannot be cancelled, so the read timeout must not outlive the deadline.
        self._timeout = (timeouts.connect_s, min(timeouts.read_s, settings.request_deadline_s))

    def list_movies(self, genre: str | None, limit: int, offset: int) -> MoviePage:
        """Return one page of movies, blocking the calling thread for the catalog's latency."""
        import requests

        try:
            # No redirect is followed (as the async client), and the body is read within its limit.
            with self._session.get().get(
                f"{self._base_url}/movies",
                params=movie_query(genre, limit, offset),
                timeout=self._timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                body = BodyLimit(self._max_body_bytes, response.headers.get("content-length"))
                for chunk in response.iter_content(64 * 1024):
                    body.add(chunk)
        except requests.RequestException as exc:
            raise from_requests(exc) from exc
        return parse_catalog_response(response.status_code, body.body(), MoviePage)

    def close(self) -> None:
        """Close the session's connections, if it was ever opened."""
        if self._session.created:
            self._session.get().close()


def _pooled_session() -> "requests.Session":
    """A session whose pool holds a connection per worker thread (anyio runs 40)."""
    import requests

    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=64)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
