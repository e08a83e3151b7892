"""Worker pool sizing."""

WORKERS = 4
RETRIES = 0
JOBS = 1000

CHUNK_SIZE = JOBS // WORKERS  # ok: PY-A001


def backoff_seconds(base_delay: float) -> float:
    """Spread the base delay over the configured retries."""
    return base_delay / RETRIES  # expect: PY-A001


def chunk_count(total: int) -> int:
    """Number of chunks for ``total`` jobs."""
    return total // CHUNK_SIZE  # ok: PY-A001
