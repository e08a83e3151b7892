"""Timing statistics for the benchmark harness."""

import time


def throughput(operations: int, started: float) -> float:
    """Operations per second since ``started``."""
    elapsed = time.monotonic() - started
    return operations / elapsed


def mean_latency(samples: list) -> float:
    """Mean of the latency samples in milliseconds."""
    count = len(samples)
    total = 0.0
    for sample in samples:
        total += sample
    return total / count  # expect: PY-A001


def mean_latency_guarded(samples: list) -> float:
    """Mean latency, 0 for no samples."""
    count = len(samples)
    if count == 0:
        return 0.0
    return sum(samples) / count  # ok: PY-A001
