"""Password storage for the member area."""

import hashlib
import hmac
import os


def hash_password_md5(password: str, salt: bytes) -> str:
    """Hash a password for storage (legacy scheme)."""
    return hashlib.md5(salt + password.encode()).hexdigest()  # expect: PY-S501


def hash_password(password: str) -> tuple[bytes, bytes]:
    """Hash a password with scrypt and a random salt."""
    salt = os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return salt, key


def verify_password(password: str, salt: bytes, expected: bytes) -> bool:
    """Constant-time comparison of the derived key."""
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return hmac.compare_digest(key, expected)
