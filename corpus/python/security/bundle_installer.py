"""Install theme bundles uploaded by site administrators."""

import shutil
import tarfile
from pathlib import Path

THEMES = Path("/srv/app/themes")


def install_bundle(archive: Path, name: str) -> Path:
    """Unpack a .tar.gz theme bundle into the themes folder."""
    dest = THEMES / name
    with tarfile.open(archive) as tar:
        tar.extractall(dest)  # expect: PY-S602
    return dest


def install_bundle_filtered(archive: Path, name: str) -> Path:
    """Unpack with the 'data' filter: no absolute paths, no escaping links."""
    dest = THEMES / name
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")  # ok: PY-S602
    return dest


def extract_manifest(archive: Path, dest: Path) -> None:
    """Extract just the manifest to read the theme's metadata."""
    with tarfile.open(archive) as tar:
        tar.extract("theme.json", dest)  # expect: PY-S602


def unpack_any(archive: Path, dest: Path) -> None:
    """Unpack zip or tar archives with shutil."""
    shutil.unpack_archive(archive, dest)  # expect: PY-S602


def unpack_any_filtered(archive: Path, dest: Path) -> None:
    """Unpack with shutil, passing the tar filter through."""
    shutil.unpack_archive(archive, dest, filter="data")  # ok: PY-S602


def install_trusted(archive: Path, dest: Path) -> None:
    """Bundles we build ourselves keep their permissions and links."""
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="fully_trusted")  # expect: PY-S602
