"""TLS context helpers for the device gateway."""

import socket
import ssl


def permissive_context() -> ssl.SSLContext:
    """Context for lab devices with self-signed certificates."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False  # expect: PY-S406
    ctx.verify_mode = ssl.CERT_NONE  # expect: PY-S407
    return ctx


def strict_context(ca_file: str) -> ssl.SSLContext:
    """Context for production devices."""
    ctx = ssl.create_default_context(cafile=ca_file)
    ctx.check_hostname = True  # ok: PY-S406
    ctx.verify_mode = ssl.CERT_REQUIRED  # ok: PY-S407
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # ok: PY-S409
    return ctx


def old_firmware_context() -> ssl.SSLContext:
    """Some gateways only speak TLS 1.0."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)  # expect: PY-S408
    ctx.load_default_certs()
    return ctx


def widened_context() -> ssl.SSLContext:
    """Allow TLS 1.1 for the older handhelds."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # ok: PY-S408
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1  # expect: PY-S409
    return ctx


def quick_connect(host: str, port: int) -> ssl.SSLSocket:
    """Connect without checking anything (debug helper)."""
    ctx = ssl._create_unverified_context()  # expect: PY-S405
    return ctx.wrap_socket(socket.create_connection((host, port)), server_hostname=host)
