"""A small on-disk cache for expensive report computations."""

import json
import marshal
import shelve

import dill


def open_cache(path: str) -> shelve.Shelf:
    """Open the shelf that stores cached report rows."""
    return shelve.open(path)  # expect: PY-S301


def restore_callable(blob: bytes):
    """Restore a pickled aggregation function sent by a worker."""
    return dill.loads(blob)  # expect: PY-S301


def restore_code(blob: bytes):
    """Restore a compiled expression shipped between processes."""
    return marshal.loads(blob)  # expect: PY-S302


def read_index(path: str) -> dict:
    """The cache index itself is plain JSON."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
