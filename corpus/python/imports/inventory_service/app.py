"""Inventory service: the project declares its dependencies in requirements.txt."""

import logging
import sys

import requests  # ok: PY-S004
import yaml  # ok: PY-S004
from dateutil import parser as dateparser  # ok: PY-S004
from flask import Flask, jsonify  # ok: PY-S004

import redis  # expect: PY-S004
from slugify import slugify  # ok: PY-S001, PY-S003, PY-S004
from inventory_export_toolkit import export_csv  # expect: PY-S001

from . import slugify as slug_module  # ok: PY-S001

if sys.version_info >= (3, 11):
    import tomllib  # ok: PY-S001
else:
    import tomli as tomllib  # ok: PY-S004

try:
    import ujson as fast_json  # ok: PY-S004
except ImportError:
    import json as fast_json

app = Flask(__name__)
cache = redis.Redis()
log = logging.getLogger(__name__)


@app.get("/items/<name>")
def item(name: str):
    key = slugify(name)
    cached = cache.get(key)
    if cached:
        return jsonify(fast_json.loads(cached))
    data = requests.get(f"https://inventory.internal/items/{key}", timeout=5).json()
    data["checked"] = dateparser.parse(data["checked"]).isoformat()
    export_csv([data])
    log.info("%s %s", slug_module.__name__, tomllib.__name__)
    return jsonify(yaml.safe_load(yaml.safe_dump(data)))
