"""Redirects and outbound requests of a Flask link-preview service."""

import requests
from flask import Flask, abort, redirect, request

app = Flask(__name__)


@app.get("/login/done")
def login_done():
    return redirect(request.args.get("next", "/"))  # expect: PY-S708


@app.get("/login/checked")
def login_checked():
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
        target = "/"
    return redirect(target)  # ok: PY-S708


@app.get("/login/half-checked")
def login_half_checked():
    """`//evil.example` also starts with `/`."""
    target = request.args.get("next", "/")
    if not target.startswith("/"):
        abort(400)
    return redirect(target)  # expect: PY-S708


@app.get("/profile")
def profile():
    return redirect("/profile/" + request.args["user"])  # ok: PY-S708


@app.get("/home")
def home():
    return redirect("/")  # ok: PY-S708


@app.get("/preview")
def preview():
    return requests.get(request.args["url"], timeout=5).text  # expect: PY-S414


@app.get("/status")
def status():
    host = request.args["host"]
    return requests.get(f"http://{host}/status", timeout=5).text  # expect: PY-S414


@app.get("/docs")
def docs():
    page = request.args["page"]
    return requests.get(f"https://docs.example.com/{page}", timeout=5).text  # ok: PY-S414


@app.get("/weather")
def weather():
    city = request.args["city"]
    return requests.get("https://api.example.com/weather?city=" + city, timeout=5).text  # ok: PY-S414


def fetch(url: str) -> str:
    """A helper every caller hands a URL to."""
    return requests.get(url, timeout=5).text  # ok: PY-S414


@app.get("/proxy")
def proxy():
    return fetch(request.args["u"])  # expect: PY-S414


@app.get("/changelog")
def changelog():
    return fetch("https://example.com/CHANGELOG")  # ok: PY-S414
