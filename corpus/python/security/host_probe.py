"""Network diagnostics endpoint for the status page."""

import re
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)

HOSTNAME = re.compile(r"[A-Za-z0-9.-]+")


@app.get("/ping")
def ping():
    """Ping the host given in the query string."""
    host = request.args.get("host", "")
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True, text=True)  # expect: PY-S202
    return {"output": out}


@app.get("/ping-checked")
def ping_checked():
    """Ping a host after validating that it is a plain host name."""
    host = request.args.get("host", "")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", host):
        abort(400)
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True, text=True)  # ok: PY-S202
    return {"output": out}


@app.get("/traceroute")
def traceroute():
    """Traceroute without a shell: the host is a single argument."""
    host = request.args.get("host", "")
    out = subprocess.check_output(["traceroute", "-m", "15", host], text=True)  # ok: PY-S202
    return {"output": out}


@app.get("/dig")
def dig():
    """DNS lookup; the record type comes from a fixed set."""
    record = request.args.get("type", "A")
    if record not in ("A", "AAAA", "MX", "TXT"):
        abort(400)
    out = subprocess.check_output(f"dig +short example.com {record}", shell=True, text=True)  # ok: PY-S202
    return {"output": out}
