"""The deliberate baseline: a catalog client that blocks its thread, with `requests`."""

import requests

from movies.models import MoviePage
from movies.settings import Settings
from movies.upstream import map_transport_error, movie_query, parse_catalog_response


class BlockingCatalogClient:
    """Reads movies with a blocking requests.Session; meant to run in a worker thread."""

    def __init__(self, settings: Settings, session: requests.Session | None = None) -> None:
        self._base_url = settings.catalog_url.rstrip("/")
        self._session = session or _pooled_session()
        # The thread cannot be cancelled, so the read timeout must not outlive the deadline.
        read = min(settings.catalog_read_timeout_s, settings.request_deadline_s)
        self._timeout = (settings.catalog_connect_timeout_s, read)

    def list_movies(self, genre: str | None, limit: int, offset: int) -> MoviePage:
        """Return one page of movies, blocking the calling thread for the catalog's latency."""
        try:
            response = self._session.get(
                f"{self._base_url}/movies",
                params=movie_query(genre, limit, offset),
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise map_transport_error(exc) from exc
        return parse_catalog_response(response.status_code, response.content, MoviePage)

    def close(self) -> None:
        """Close the session's connections."""
        self._session.close()


def _pooled_session() -> requests.Session:
    """A session whose pool holds a connection per worker thread (anyio runs 40)."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=64)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
