"""The single DynamoDB table's key design, shared by the API's reads and the worker's writes.

    item          pk                sk                  attributes
    rating        USER#<user_id>    MOVIE#<movie_id>    stars, rated_at, event_id, genres
    counter       MOVIE#<movie_id>  TRENDING            impressions, trending ("TRENDING#<shard>")
    counted       COUNTED#<user_id> <window start>      movies (number set), expires_at (TTL)
    request count LIMIT#<user_id>   <action>#<window>   hits, expires_at (TTL): the rate limiter
    catalog page  CATALOG#<key>     ANSWER              body, expires_at (TTL): the shared cache
    request key   IDEM#<user_id>    <Idempotency-Key>   fingerprint, token, locked_until, answer_*,
                                                        expires_at (TTL): movies.aws.idempotency

A counter counts (user, window) pairs that were served the movie: the worker adds 1 for a movie
only together with adding it to that user's `counted` set of the window (movies.aws.trending).
The by_impressions index (trending, impressions) answers "most recommended" with one query per
shard: the counters' index partition is one of TRENDING_SHARDS, by movie id, never a single one.

Items of the previous design, no longer written or read: MOVIE#<id> / IMPRESSIONS counters under
the index partition "ALL" (delete them at leisure), and EVENT#<uuid> / EVENT idempotency records
(they expire through the TTL).
"""

TRENDING_INDEX = "by_impressions"
COUNTER_SORT_KEY = "TRENDING"
COUNTED_PREFIX = "COUNTED#"
# Index partitions the counters are spread over. A counter's update is two index writes (its sort
# key changes): 8 partitions take 8 x 1,000 writes a second, against the worker's ceiling of about
# 5 batches x 40 messages a second x 10 counters x 2 = 4,000. The read is 8 Queries. Changing it
# moves counters between partitions: the index would miss those not counted since.
TRENDING_SHARDS = 8


def user_key(user_id: str) -> str:
    """Partition key of a user's ratings."""
    return f"USER#{user_id}"


def movie_key(movie_id: int) -> str:
    """Sort key of a rating, partition key of a movie's counter."""
    return f"MOVIE#{movie_id}"


def movie_id_of(key: str) -> int:
    """The movie id in a key made by movie_key."""
    return int(key.removeprefix("MOVIE#"))


def trending_shard(shard: int) -> str:
    """The index partition key (the `trending` attribute) of one shard of the counters."""
    return f"TRENDING#{shard}"


def trending_key(movie_id: int) -> str:
    """The index partition a movie's counter lives in: by movie id, so it never moves."""
    return trending_shard(movie_id % TRENDING_SHARDS)


def counted_key(user_id: str) -> str:
    """Partition key of the movies a user was counted for, one item per window."""
    return f"{COUNTED_PREFIX}{user_id}"


LIMIT_PREFIX = "LIMIT#"


def limit_key(user_id: str) -> str:
    """Partition key of a caller's request counts (one partition per caller: no hot key)."""
    return f"{LIMIT_PREFIX}{user_id}"


CACHE_PREFIX = "CATALOG#"
CACHE_SORT_KEY = "ANSWER"


def cache_key(key: str) -> str:
    """Partition key of a cached catalog answer (one partition per answer: no hot key)."""
    return f"{CACHE_PREFIX}{key}"


IDEMPOTENCY_PREFIX = "IDEM#"


def idempotency_partition(user_id: str) -> str:
    """Partition key of a caller's Idempotency-Keys (scoped to the caller, one partition each)."""
    return f"{IDEMPOTENCY_PREFIX}{user_id}"
