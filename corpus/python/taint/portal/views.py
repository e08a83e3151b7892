"""Views that call the helpers of `portal.safety` with request data."""

import os

from flask import Flask, request

from .safety import Greeter, clean_name, default_user, run_report, weak_clean

app = Flask(__name__)
DEBUG_TOOLS = False


@app.get("/report")
def report():
    return {"code": run_report(request.args["user"])}  # expect: PY-S202


@app.get("/report-clean")
def report_clean():
    """The sanitizer in the other module keeps only [a-z0-9_]."""
    return {"code": run_report(clean_name(request.args["user"]))}  # ok: PY-S202


@app.get("/report-weak")
def report_weak():
    return {"code": run_report(weak_clean(request.args["user"]))}  # expect: PY-S202


@app.get("/report-default")
def report_default():
    return {"code": run_report(default_user())}  # ok: PY-S202


@app.get("/greet")
def greet():
    title = Greeter().title()
    os.system("banner " + title)  # ok: PY-S201
    return "ok"


@app.get("/debug")
def debug():
    cmd = request.args["cmd"]
    if DEBUG_TOOLS:
        os.system(cmd)  # ok: PY-S201
    return "ok"


@app.get("/pick")
def pick():
    """A safe element picked from a list that also holds request data."""
    parts = ["ls", request.args["dir"]]
    os.system(parts[0])  # ok: PY-S201
    os.system("ls " + parts[1])  # expect: PY-S201
    return "ok"


@app.get("/early")
def early():
    name = request.args["name"]
    if not name.isalnum():
        return "bad name", 400
    os.system("finger " + name)  # ok: PY-S201
    return "ok"
