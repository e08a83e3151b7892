"""Render HTML and plain-text reports with Jinja2."""

import jinja2
from jinja2 import Environment, FileSystemLoader, select_autoescape

html_env = Environment(loader=FileSystemLoader("templates"), autoescape=False)  # expect: PY-S703
safe_env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())  # ok: PY-S703, PY-S704
default_env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))  # expect: PY-S704
strict_env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=True)  # ok: PY-S703, PY-S704


def render_user_page(user: dict) -> str:
    """Profile page with the user's display name and bio."""
    return html_env.get_template("profile.html").render(user=user)


def render_greeting(name: str) -> str:
    """One-off inline template."""
    template = jinja2.Template("<p>Hello {{ name }}</p>", autoescape=False)  # expect: PY-S703
    return template.render(name=name)


def make_env(escape_html: bool) -> jinja2.Environment:
    """Environment for HTML (escaped) or plain-text (not escaped) output."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=escape_html)  # expect: PY-S703
