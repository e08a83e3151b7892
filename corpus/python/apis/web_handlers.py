"""Web handlers an assistant wrote from memory of older Flask, Django and requests."""

import requests
from django.shortcuts import render
from django.utils import encoding
from django.utils.encoding import force_text  # expect: PY-A105
from django.utils.translation import gettext_lazy  # ok: PY-A105
from django.utils.translation import ugettext_lazy as _  # expect: PY-A105
from flask import Flask, jsonify, send_file
from flask import escape  # expect: PY-A105

try:
    from flask import Markup  # ok: PY-A105
except ImportError:
    from markupsafe import Markup

app = Flask(__name__, template_dir="templates")  # expect: PY-A106

TITLE = _("Stock report")
SUBTITLE = gettext_lazy("Nightly")


def fetch_rates(url: str) -> dict:
    reply = requests.get(url, timout=10)  # expect: PY-A106, PY-S411
    return reply.json()


def push_rates(url: str, rates: dict) -> int:
    reply = requests.post(url, json=rates, timeout=5)  # ok: PY-A106
    return reply.status_code


def download(path: str):
    return send_file(path, attachment_filename="report.pdf")  # expect: PY-A105


def stream(path: str):
    return send_file(path, download_name="report.pdf", max_age=60)  # ok: PY-A105, PY-A106


def label(value: bytes) -> str:
    return encoding.force_text(value)  # expect: PY-A105


def page(request, name: str):
    return render(request, "page.html", {"name": escape(name)}, content_type="text/html")  # ok: PY-A106


def status():
    return jsonify(ok=True, title=str(TITLE), label=force_text(b"x"))  # ok: PY-A106
