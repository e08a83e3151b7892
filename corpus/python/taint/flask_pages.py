"""HTML pages a Flask app builds by hand."""

import html

from flask import Flask, make_response, request
from markupsafe import escape

app = Flask(__name__)


@app.get("/search")
def search():
    return make_response(f"<h1>Results for {request.args['q']}</h1>")  # expect: PY-S709


@app.get("/search-escaped")
def search_escaped():
    return make_response(f"<h1>Results for {escape(request.args['q'])}</h1>")  # ok: PY-S709


@app.get("/search-html")
def search_html():
    q = html.escape(request.args["q"])
    return make_response("<h1>Results for " + q + "</h1>")  # ok: PY-S709


@app.get("/page")
def page():
    n = int(request.args["n"])
    return make_response(f"<p>Page {n}</p>")  # ok: PY-S709


@app.get("/hello")
def hello():
    name = request.args.get("name", "world")
    if not name.isalnum():
        return make_response("bad name", 400)  # ok: PY-S709
    return make_response(f"<p>Hello {name}</p>")  # ok: PY-S709


@app.get("/about")
def about():
    return make_response("<p>About us</p>")  # ok: PY-S709


@app.get("/greeting")
def greeting():
    """A template renders the name escaped."""
    from flask import render_template

    return make_response(render_template("greet.html", name=request.args["name"]))  # ok: PY-S709
