"""The catalog upstream: client, fetchers, parsing, its own errors, cache, blocking baseline."""
