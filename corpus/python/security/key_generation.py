"""Key generation for the signing service."""

from Crypto.PublicKey import RSA
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa

DEFAULT_BITS = 3072


def quick_test_key() -> rsa.RSAPrivateKey:
    """Fast key for unit tests of the signer."""
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # expect: PY-S506


def signing_key() -> rsa.RSAPrivateKey:
    """Production signing key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=DEFAULT_BITS)  # ok: PY-S506


def key_of_size(bits: int) -> rsa.RSAPrivateKey:
    """Key of a size chosen by the caller."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)  # expect: PY-S506


def key_of_checked_size(bits: int) -> rsa.RSAPrivateKey:
    """Key of a caller-chosen size, never below 2048 bits."""
    if bits < 2048:
        raise ValueError("RSA keys must have at least 2048 bits")
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)  # ok: PY-S506


def export_keypair() -> tuple[bytes, bytes]:
    """PEM pair for the partner integration."""
    key = RSA.generate(1024)  # expect: PY-S507
    return key.export_key(), key.publickey().export_key()


def export_keypair_strong() -> tuple[bytes, bytes]:
    """PEM pair with a modern size."""
    key = RSA.generate(4096)  # ok: PY-S507
    return key.export_key(), key.publickey().export_key()


def legacy_dsa_key() -> dsa.DSAPrivateKey:
    """DSA key for the old SFTP partner."""
    return dsa.generate_private_key(key_size=1024)  # expect: PY-S508


def device_key() -> ec.EllipticCurvePrivateKey:
    """Small key for constrained devices."""
    return ec.generate_private_key(ec.SECP192R1())  # expect: PY-S509


def device_key_p256() -> ec.EllipticCurvePrivateKey:
    """P-256 key."""
    return ec.generate_private_key(ec.SECP256R1())  # ok: PY-S509
