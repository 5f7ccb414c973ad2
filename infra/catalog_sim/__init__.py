"""A fake movie catalog over HTTP, with latency and injectable faults, for local runs and tests."""
