"""The service's own slug helper; PyPI has a `slugify` project too, but this module wins."""

import re  # ok: PY-S001


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
