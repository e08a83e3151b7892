"""Start-up script shared by the dev and prod containers."""

import os

from flask import Flask

app = Flask(__name__)

DEBUG = os.environ.get("FLASK_DEBUG", "0") == "1"
BIND = os.environ.get("BIND_HOST", "127.0.0.1")


@app.get("/health")
def health():
    """Liveness probe."""
    return {"status": "ok"}


def run_from_env() -> None:
    """Debug and bind address come from the environment."""
    app.run(host=BIND, port=8080, debug=DEBUG)  # ok: PY-S701, PY-S702


def run_local() -> None:
    """Local run: the debugger is explicitly off."""
    debug = False
    app.run(host="127.0.0.1", port=8080, debug=debug)  # ok: PY-S701, PY-S702


def run_with(debug: bool) -> None:
    """Run with the debugger when the caller asks for it."""
    app.run(port=8080, debug=debug)  # expect: PY-S701
