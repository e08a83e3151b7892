"""Small servers used while developing the dashboard."""

import socket
from http.server import HTTPServer, SimpleHTTPRequestHandler


def serve_static(port: int = 8000) -> None:
    """Serve the build folder to phones on the same Wi-Fi."""
    server = HTTPServer(("0.0.0.0", port), SimpleHTTPRequestHandler)  # expect: PY-S412
    server.serve_forever()


def serve_static_local(port: int = 8000) -> None:
    """Serve the build folder on this machine only."""
    server = HTTPServer(("127.0.0.1", port), SimpleHTTPRequestHandler)  # ok: PY-S412
    server.serve_forever()


def echo_server(port: int) -> None:
    """Line echo server for the socket tutorial."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", port))  # expect: PY-S412
        sock.listen()
        conn, _ = sock.accept()
        with conn:
            conn.sendall(conn.recv(1024))


def loopback_server(port: int) -> socket.socket:
    """A listener bound to the loopback interface."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("localhost", port))  # ok: PY-S412
    sock.listen()
    return sock
