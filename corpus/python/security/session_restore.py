"""Restore shopping-cart sessions saved by the old checkout service."""

import base64
import json
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/cart/restore")
def restore_cart():
    """Rebuild the cart from the base64 blob the client kept."""
    blob = base64.b64decode(request.form["state"])
    cart = pickle.loads(blob)  # expect: PY-S301
    return {"items": cart.get("items", [])}


@app.post("/cart/restore-json")
def restore_cart_json():
    """The JSON variant used by the new mobile app."""
    cart = json.loads(request.get_data())
    return {"items": cart.get("items", [])}


def load_snapshot(path: str) -> dict:
    """Read a snapshot file written by the nightly export: the program's own data."""
    with open(path, "rb") as fh:
        return pickle.load(fh)  # ok: PY-S301


@app.post("/cart/upload")
def upload_cart():
    """The uploaded file itself is unpickled."""
    return pickle.load(request.files["cart"])  # expect: PY-S301


@app.post("/cart/from-path")
def cart_from_path():
    """A file whose name the client picks."""
    with open(request.args["path"], "rb") as fh:  # expect: PY-S605
        return pickle.load(fh)  # expect: PY-S301
