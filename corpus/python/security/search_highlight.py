"""Search result rendering for the help center (Flask + MarkupSafe)."""

from flask import Flask, render_template_string, request
from markupsafe import Markup, escape

app = Flask(__name__)


def highlight(term: str) -> Markup:
    """Wrap the search term in <mark> for the results page."""
    return Markup(f"<mark>{term}</mark>")  # expect: PY-S705


def highlight_escaped(term: str) -> Markup:
    """The same, escaping the term first."""
    return Markup(f"<mark>{escape(term)}</mark>")  # ok: PY-S705


def line_break() -> Markup:
    """A literal fragment is fine."""
    return Markup("<br>")  # ok: PY-S705


@app.get("/search")
def search():
    """Results page title built from the query."""
    query = request.args.get("q", "")
    return render_template_string(f"<h1>Results for {query}</h1>")  # expect: PY-S706


@app.get("/search-safe")
def search_safe():
    """The query passed as a template variable, escaped by Flask."""
    query = request.args.get("q", "")
    return render_template_string("<h1>Results for {{ query }}</h1>", query=query)  # ok: PY-S706


@app.get("/page/<int:page>")
def page(page: int):
    """Page number pasted into the template; it is an integer."""
    return render_template_string(f"<p>Page {int(page)}</p>")  # ok: PY-S706
