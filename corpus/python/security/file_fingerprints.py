"""Fingerprints for uploaded files: dedup keys and integrity checks."""

import hashlib

DEDUP_ALGORITHM = "sha256"
NOT_FOR_SECURITY = False


def dedup_key(data: bytes) -> str:
    """Content hash used to detect duplicate uploads."""
    return hashlib.md5(data).hexdigest()  # expect: PY-S501


def etag(data: bytes) -> str:
    """HTTP ETag: a cache validator, not a security control."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()  # ok: PY-S501


def etag_flag(data: bytes) -> str:
    """Same, with the flag kept in a module constant."""
    return hashlib.md5(data, usedforsecurity=NOT_FOR_SECURITY).hexdigest()  # ok: PY-S501


def integrity_digest(data: bytes) -> str:
    """Digest stored next to the file to detect tampering."""
    return hashlib.sha1(data).hexdigest()  # expect: PY-S501


def strong_digest(data: bytes) -> str:
    """SHA-256 digest."""
    return hashlib.sha256(data).hexdigest()


def digest_by_name(data: bytes) -> str:
    """Digest with the configured algorithm."""
    return hashlib.new(DEDUP_ALGORITHM, data).hexdigest()  # ok: PY-S502


def legacy_digest(data: bytes) -> str:
    """Digest compatible with the v1 database."""
    algorithm = "md5"
    return hashlib.new(algorithm, data).hexdigest()  # expect: PY-S502


def legacy_checksum(data: bytes) -> str:
    """The v1 checksum, declared as a non-security use."""
    return hashlib.new("sha1", data, usedforsecurity=False).hexdigest()  # ok: PY-S502
