"""Encrypt short tokens stored in the customer database (PyCryptodome)."""

from Crypto.Cipher import AES, DES
from Crypto.Hash import MD5, SHA256
from Crypto.Random import get_random_bytes
from Crypto.Util.Padding import pad


def encrypt_des(key: bytes, token: bytes) -> bytes:
    """Legacy DES encryption kept for the old mobile app."""
    cipher = DES.new(key, DES.MODE_CBC)  # expect: PY-S504
    return cipher.iv + cipher.encrypt(pad(token, 8))


def encrypt_ecb(key: bytes, token: bytes) -> bytes:
    """AES, but block by block."""
    cipher = AES.new(key, AES.MODE_ECB)  # expect: PY-S505
    return cipher.encrypt(pad(token, 16))


def encrypt_gcm(key: bytes, token: bytes) -> bytes:
    """AES-GCM with a random nonce; the tag authenticates the message."""
    nonce = get_random_bytes(12)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)  # ok: PY-S505
    ciphertext, tag = cipher.encrypt_and_digest(token)
    return nonce + tag + ciphertext


def key_id(key: bytes) -> str:
    """Short identifier of a key for logs."""
    return MD5.new(key).hexdigest()  # expect: PY-S503


def key_id_sha256(key: bytes) -> str:
    """Identifier of a key, SHA-256 based."""
    return SHA256.new(key).hexdigest()  # ok: PY-S503
