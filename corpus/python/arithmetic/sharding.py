"""Consistent placement of keys on shards."""


def shard_for(key: str, shards: list) -> int:
    """Pick the shard index for ``key``."""
    return hash(key) % len(shards)  # expect: PY-A001


def shard_for_checked(key: str, shards: list) -> int:
    """Pick the shard index for ``key``; there must be at least one shard."""
    if not shards:
        raise ValueError("no shards configured")
    return hash(key) % len(shards)  # ok: PY-A001


def shard_for_walrus(key: str, shards: list) -> int:
    """Same with an assignment expression."""
    if (count := len(shards)) > 0:
        return hash(key) % count  # ok: PY-A001
    return -1
