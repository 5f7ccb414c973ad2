"""A page as a person's browser renders it: headless Chromium, offline but for the API's host."""

import shutil
import subprocess
import tempfile
from urllib.parse import urlsplit

# The first installed of the names Chromium goes by (Debian: `apt-get install chromium`).
CHROMIUM = next(
    filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
)
# As root and without a desktop session; and nothing of Chromium's own on the network.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def rendered_dom(url: str, budget_ms: int = 20_000) -> str:
    """The DOM of `url` once its scripts have run, every host but `url`'s own unresolvable.

    `--virtual-time-budget` lets the page's scripts and fetches settle before the dump.
    """
    if CHROMIUM is None:
        raise RuntimeError("no Chromium: apt-get install chromium")
    host = urlsplit(url).hostname
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run(
            [
                CHROMIUM,
                *_FLAGS,
                f"--user-data-dir={profile}",
                f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {host}",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
