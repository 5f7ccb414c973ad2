"""The soak's users' tokens, from the stack's development issuer, as real clients get theirs."""

import aiohttp


class Tokens:
    """One token per user, asked of the issuer the first time the user sends a request."""

    def __init__(self, issuer: aiohttp.ClientSession) -> None:
        self._issuer = issuer
        self._headers: dict[str, dict[str, str]] = {}

    async def headers(self, user: str) -> dict[str, str]:
        """The Authorization header of `user`."""
        if user not in self._headers:
            async with self._issuer.post("/token", json={"sub": user}) as response:
                response.raise_for_status()
                token = (await response.json())["access_token"]
            self._headers[user] = {"authorization": f"Bearer {token}"}
        return self._headers[user]
