"""The single DynamoDB table's key design, shared by the API's reads and the worker's writes.

    item          pk               sk                  attributes
    rating        USER#<user_id>   MOVIE#<movie_id>    stars, rated_at, event_id, genres
    impressions   MOVIE#<movie_id> IMPRESSIONS         impressions, trending ("ALL")
    processed     EVENT#<uuid>     EVENT               expires_at (TTL): the idempotency record
    request count LIMIT#<user_id>  <action>#<window>   hits, expires_at (TTL): the rate limiter
    request key   IDEM#<user_id>   <Idempotency-Key>   fingerprint, token, locked_until, answer_*,
                                                       expires_at (TTL): movies.aws.idempotency

The by_impressions index (trending, impressions) answers "most recommended" with one query.
"""

TRENDING_INDEX = "by_impressions"
TRENDING_KEY = "ALL"


def user_key(user_id: str) -> str:
    """Partition key of a user's ratings."""
    return f"USER#{user_id}"


def movie_key(movie_id: int) -> str:
    """Sort key of a rating, partition key of a movie's counter."""
    return f"MOVIE#{movie_id}"


def movie_id_of(key: str) -> int:
    """The movie id in a key made by movie_key."""
    return int(key.removeprefix("MOVIE#"))


def event_key(event_id: str) -> str:
    """Partition key of an idempotency record."""
    return f"EVENT#{event_id}"


LIMIT_PREFIX = "LIMIT#"


def limit_key(user_id: str) -> str:
    """Partition key of a caller's request counts (one partition per caller: no hot key)."""
    return f"{LIMIT_PREFIX}{user_id}"


IDEMPOTENCY_PREFIX = "IDEM#"


def idempotency_partition(user_id: str) -> str:
    """Partition key of a caller's Idempotency-Keys (scoped to the caller, one partition each)."""
    return f"{IDEMPOTENCY_PREFIX}{user_id}"
