"""Envelope encryption helpers on top of `cryptography`."""

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_3des(key: bytes, block: bytes) -> bytes:
    """Encrypt one 8-byte block for the mainframe bridge."""
    encryptor = Cipher(algorithms.TripleDES(key), modes.CBC(os.urandom(8))).encryptor()  # expect: PY-S504
    return encryptor.update(block) + encryptor.finalize()


def encrypt_ecb(key: bytes, block: bytes) -> bytes:
    """Encrypt a single 16-byte block."""
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # expect: PY-S505
    return encryptor.update(block) + encryptor.finalize()


def encrypt_gcm(key: bytes, data: bytes) -> tuple[bytes, bytes, bytes]:
    """AES-GCM: returns nonce, ciphertext and tag."""
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()  # ok: PY-S504, PY-S505
    ciphertext = encryptor.update(data) + encryptor.finalize()
    return nonce, ciphertext, encryptor.tag


def legacy_fingerprint(data: bytes) -> bytes:
    """Fingerprint in the format of the 2015 API."""
    digest = hashes.Hash(hashes.SHA1())  # expect: PY-S503
    digest.update(data)
    return digest.finalize()


def fingerprint(data: bytes) -> bytes:
    """SHA-256 fingerprint."""
    digest = hashes.Hash(hashes.SHA256())  # ok: PY-S503
    digest.update(data)
    return digest.finalize()
