"""Thumbnail generation for uploaded product photos (ImageMagick)."""

import os
import subprocess


def make_thumbnail(src: str, dst: str) -> None:
    """Resize an uploaded image to 128x128."""
    os.system(f"convert {src} -resize 128x128 {dst}")  # expect: PY-S201


def make_thumbnail_safe(src: str, dst: str) -> None:
    """Same job without a shell: each argument reaches convert as-is."""
    subprocess.run(["convert", src, "-resize", "128x128", dst], check=True)  # ok: PY-S202


def clear_cache() -> None:
    """Remove cached thumbnails; the command is a constant."""
    os.system("rm -f /var/cache/thumbs/*.png")  # ok: PY-S201


def lower_priority(pid: str, niceness: str) -> None:
    """Renice the worker; both values are converted to integers first."""
    os.system(f"renice -n {int(niceness)} -p {int(pid)}")  # ok: PY-S201


def image_info(path: str) -> str:
    """Return `identify` output for an image."""
    with os.popen("identify " + path) as pipe:  # expect: PY-S201
        return pipe.read()
