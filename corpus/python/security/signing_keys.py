"""Sign webhook payloads sent to partners."""

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PRIVATE_KEY_PEM = "-----BEGIN PRIVATE KEY-----\nlny2pg17+dUM2jNKogorTAuRVpQ09oiVeZWJ9QyucS19AvMp2gUAeSsUfFgUl8oP\nK+HJN45P/ED75cNRqsKz5b70CO8W7RQHy2Yp+ptzsJqLOJqu3g9DYpQaxEN+cNlj\niRkV71kDRuIr2jhTxs+OHKDpnJh/rgiOaPq/N9RtlnnudSkpmKog0Qwp/vaQcT7x\nl2cwC6dT0ctPVnaawqrczLJWImKMG4hEbuUVDPDR/m0k5iqkwUONAIifEcLav+q5\n-----END PRIVATE KEY-----\n"  # expect: PY-S902

PEM_HEADER = "-----BEGIN PRIVATE KEY-----"  # ok: PY-S902


def is_pem_key(text: str) -> bool:
    """Recognise a PEM private key by its header."""
    return text.lstrip().startswith(PEM_HEADER)


def sign(payload: bytes) -> bytes:
    """RSA-PSS signature over the payload."""
    key = serialization.load_pem_private_key(PRIVATE_KEY_PEM.encode(), password=None)
    return key.sign(payload, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.MAX_LENGTH), hashes.SHA256())
