"""/docs and /redoc with no CDN: Swagger UI and ReDoc's files served by the app itself.

FastAPI's pages load both from a CDN, so offline they are blank. This is FastAPI's "self-hosting
JavaScript and CSS for docs" recipe, with the files from the package fastapi-standalone-docs
(Swagger UI 5.33, ReDoc 2.5, their licences beside them; its ReDoc loads its footer logo from
beside the page, not from Redocly's CDN). Every URL is under the request's root_path (the stage
or the custom domain's mapping key). Included only when the docs are on (EnableDocs), and the
package is looked up on the first asset request, not at a cold start.
"""

import importlib.util
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)

DOCS = "/docs"
REDOC = "/redoc"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
ASSETS = "/docs/assets"
REDOC_LOGO = "/redoc/logo-mini.svg"  # where the package's ReDoc asks for it
PACKAGE = "fastapi_standalone_docs"
# Each file under /docs/assets: its folder in the package's static/, and its media type.
FILES = {
    "swagger-ui-bundle.js": ("swagger", "text/javascript"),
    "swagger-ui.css": ("swagger", "text/css"),
    "redoc.standalone.js": ("redoc", "text/javascript"),
    "favicon.png": ("fastapi", "image/png"),
}
# The files change only with the package's version; a day keeps a reload from fetching 3 MB.
CACHE_CONTROL = "public, max-age=86400"


@router.get(DOCS)
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on the spec, its script, style and icon from /docs/assets."""
    app, base = request.app, _base(request)
    assets = base + ASSETS
    return get_swagger_ui_html(
        openapi_url=base + app.openapi_url,
        title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=base + OAUTH2_REDIRECT,
        swagger_js_url=f"{assets}/swagger-ui-bundle.js",
        swagger_css_url=f"{assets}/swagger-ui.css",
        swagger_favicon_url=f"{assets}/favicon.png",
        init_oauth=app.swagger_ui_init_oauth,
        swagger_ui_parameters=app.swagger_ui_parameters,
    )


@router.get(OAUTH2_REDIRECT)
async def swagger_ui_redirect() -> HTMLResponse:
    """Where an OAuth2 login in Swagger UI comes back to."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get(REDOC)
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc on the spec, without Google Fonts (the system's own, offline too)."""
    base = _base(request)
    return get_redoc_html(
        openapi_url=base + request.app.openapi_url,
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{base}{ASSETS}/redoc.standalone.js",
        redoc_favicon_url=f"{base}{ASSETS}/favicon.png",
        with_google_fonts=False,
    )


@router.get(ASSETS + "/{name}")
async def asset(name: str) -> FileResponse:
    """One of FILES; any other name is a 404."""
    if name not in FILES:
        raise HTTPException(404, detail="no such docs asset")
    folder, media_type = FILES[name]
    return _file(folder, name, media_type)


@router.get(REDOC_LOGO)
async def redoc_logo() -> FileResponse:
    """The logo of ReDoc's footer."""
    return _file("redoc", "logo-mini.svg", "image/svg+xml")


def _base(request: Request) -> str:
    root_path: str = request.scope.get("root_path", "")
    return root_path.rstrip("/")


def _file(folder: str, name: str, media_type: str) -> FileResponse:
    headers = {"cache-control": CACHE_CONTROL}
    return FileResponse(static() / folder / name, media_type=media_type, headers=headers)


@cache
def static() -> Path:
    """The package's static/ folder, found without importing the package (which imports
    Starlette's StaticFiles for the monkeypatching this module does not use)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{PACKAGE} is not installed: /docs needs its files")
    return Path(next(iter(spec.submodule_search_locations))) / "static"
