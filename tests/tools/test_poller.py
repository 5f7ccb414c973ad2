"""The local SQS poller's backoff: exponential from its first wait, with jitter, to a cap.

The poller against moto, stalls and all: tests/functional/test_queue_and_worker.py.
"""

import random

from infra.local.poller import BACKOFF_MAX_S, backoff_s


def test_a_poller_backs_off_exponentially_to_a_cap() -> None:
    rng = random.Random(7)
    waits = [backoff_s(n, rng) for n in range(1, 10)]
    ceilings = [min(5.0, 0.25 * 2 ** (n - 1)) for n in range(1, 10)]
    assert all(c / 2 <= w <= c for w, c in zip(waits, ceilings, strict=True))
    assert max(waits) <= BACKOFF_MAX_S
