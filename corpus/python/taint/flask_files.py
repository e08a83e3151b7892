"""File download and upload handlers of a small Flask document service."""

import os
import re

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.get("/download")
def download():
    name = request.args["name"]
    return send_file(os.path.join(UPLOADS, name))  # expect: PY-S605


@app.get("/raw")
def raw():
    with open(request.args.get("path")) as fh:  # expect: PY-S605
        return fh.read()


@app.get("/report")
def report():
    """A relative folder in front still lets `..` climb out."""
    name = request.args["name"]
    with open("reports/" + name) as fh:  # expect: PY-S605
        return fh.read()


@app.get("/safe-download")
def safe_download():
    return send_from_directory(UPLOADS, request.args["name"])  # ok: PY-S605


@app.get("/guarded")
def guarded():
    name = request.args["name"]
    if ".." in name or name.startswith("/") or name.startswith("\\"):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # ok: PY-S605


@app.get("/half-guarded")
def half_guarded():
    """Only the absolute case is refused: `..` still climbs."""
    name = request.args["name"]
    if name.startswith("/"):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # expect: PY-S605


@app.get("/pattern")
def pattern():
    name = request.args["name"]
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.pdf", name):
        abort(404)
    return send_file(os.path.join(UPLOADS, name))  # ok: PY-S605


@app.post("/upload")
def upload():
    f = request.files["file"]
    name = secure_filename(request.form["name"])
    f.save(os.path.join(UPLOADS, name))
    with open(os.path.join(UPLOADS, name), "rb") as fh:  # ok: PY-S605
        return {"size": len(fh.read())}


@app.get("/base")
def base():
    name = os.path.basename(request.args["name"])
    return send_file(os.path.join(UPLOADS, name))  # ok: PY-S605


@app.get("/numbered")
def numbered():
    page = int(request.args["page"])
    with open(f"{UPLOADS}/page-{page}.txt") as fh:  # ok: PY-S605
        return fh.read()


@app.get("/stripped")
def stripped():
    """Removing `../` once is not enough: `....//` becomes `../` again."""
    name = request.args["name"].replace("../", "")
    return send_file(os.path.join(UPLOADS, name))  # expect: PY-S605


def read_template(name: str) -> str:
    """The program's own helper: its callers pick the name."""
    with open(os.path.join("templates", name)) as fh:  # ok: PY-S605
        return fh.read()


@app.get("/template")
def template():
    return read_template(request.args["t"])  # expect: PY-S605


@app.get("/fixed-template")
def fixed_template():
    return read_template("index.html")  # ok: PY-S605
