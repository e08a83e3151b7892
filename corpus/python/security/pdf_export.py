"""Render invoices to PDF with wkhtmltopdf."""

import os
import subprocess
import tempfile
from tempfile import mktemp


def render_pdf(html: str) -> bytes:
    """Render HTML to PDF through a temporary file."""
    out_path = tempfile.mktemp(suffix=".pdf")  # expect: PY-S601
    subprocess.run(["wkhtmltopdf", "-", out_path], input=html.encode(), check=True)
    with open(out_path, "rb") as fh:
        return fh.read()


def render_preview(html: str) -> bytes:
    """Low-resolution preview, same approach."""
    out_path = mktemp(suffix=".png")  # expect: PY-S601
    subprocess.run(["wkhtmltoimage", "--width", "600", "-", out_path], input=html.encode(), check=True)
    with open(out_path, "rb") as fh:
        return fh.read()


def render_pdf_safe(html: str) -> bytes:
    """Render inside a private temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "invoice.pdf")
        subprocess.run(["wkhtmltopdf", "-", out_path], input=html.encode(), check=True)
        with open(out_path, "rb") as fh:
            return fh.read()


def scratch_file() -> str:
    """Create a scratch file atomically and return its path."""
    fd, path = tempfile.mkstemp(suffix=".tmp")
    os.close(fd)
    return path
