"""Histogram bucketing for the analytics job."""

BUCKETS = 8
WIDTH = 256 // BUCKETS

assert WIDTH * BUCKETS == 256  # ok: PY-A002


def bucket_of(value: int, bucket_count: int = 0) -> int:
    """Bucket index of ``value``; the default bucket count is a placeholder."""
    if bucket_count:
        return value % bucket_count  # ok: PY-A001
    return value % BUCKETS  # ok: PY-A001


def spread(values: list, buckets: int) -> list:
    """Counts per bucket."""
    counts = [0] * 4
    size = 4 - len(counts)
    for v in values:
        counts[v % 4] += 1
    return [c / size for c in counts]  # expect: PY-A001
