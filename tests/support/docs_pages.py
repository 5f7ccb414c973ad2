"""What /docs and /redoc load, checked as a browser would fetch it: the API's own files only."""

import re

import httpx

PAGES = ("/docs", "/redoc")
# What a page loads: an attribute's URL, or a quoted path in its inline script.
REFERENCE = re.compile(r"""(?:src|href|spec-url)="([^"]*)"|'(/[^']*)'""")
# Each file: its content type, a byte string only the real file holds, and a size no stub or
# error page reaches.
FILES = {
    "swagger-ui-bundle.js": ("text/javascript", b"SwaggerUIBundle", 1_000_000),
    "swagger-ui.css": ("text/css", b".swagger-ui", 100_000),
    "redoc.standalone.js": ("text/javascript", b"redoc", 1_000_000),
    "favicon.png": ("image/png", b"\x89PNG\r\n\x1a\n", 1_000),
    "logo-mini.svg": ("image/svg+xml", b"<svg", 200),
}


def _prefix(api: httpx.AsyncClient) -> str:
    """The stage or mapping key in the client's base URL ("" at the root)."""
    return api.base_url.path.rstrip("/")


async def _references(api: httpx.AsyncClient, page: str) -> list[str]:
    response = await api.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return [attribute or script for attribute, script in REFERENCE.findall(response.text)]


async def check_docs(api: httpx.AsyncClient) -> None:
    """Both pages reference only the API's own paths under its prefix, and each is served."""
    prefix = _prefix(api)
    loaded: set[str] = set()
    for page in PAGES:
        html = (await api.get(page)).text
        assert not re.search(r"https?:|//cdn|fonts\.googleapis", html), html
        references = await _references(api, page)
        assert references, html
        wrong = [ref for ref in references if not ref.startswith(f"{prefix}/")]
        assert not wrong, f"{page} loads {wrong}, not under {prefix}/"
        loaded |= {ref.removeprefix(prefix) for ref in references}
    # ReDoc's script asks for its footer logo beside the page: window.location.pathname + "/..."
    loaded.add("/redoc/logo-mini.svg")
    assert {"/openapi.json", "/docs/oauth2-redirect"} <= loaded
    spec = await api.get("/openapi.json")
    assert spec.json()["info"]["title"] == "Movie API"
    assert (await api.get("/docs/oauth2-redirect")).status_code == 200
    files = {path.rsplit("/", 1)[1]: path for path in loaded - {"/openapi.json"}}
    files.pop("oauth2-redirect")
    assert set(files) == set(FILES)
    for name, path in files.items():
        content_type, marker, least = FILES[name]
        response = await api.get(path)
        assert response.status_code == 200, (path, response.text[:200])
        assert response.headers["content-type"].split(";")[0] == content_type, path
        assert len(response.content) >= least, (path, len(response.content))
        assert marker in response.content[:least], path
        assert response.headers["cache-control"] == "public, max-age=86400", path
