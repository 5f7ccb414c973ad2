"""The domain: models, scoring, queue messages and the ports adapters implement; no I/O."""
