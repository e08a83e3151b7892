"""Import product catalogs uploaded as XML by suppliers."""

import xml.etree.ElementTree as ET
from xml.dom import minidom

import defusedxml.ElementTree as SafeET
from flask import Flask, request

app = Flask(__name__)

EMPTY_CATALOG = "<catalog/>"


@app.post("/catalog/import")
def import_catalog():
    """Count the items in an uploaded catalog."""
    root = ET.fromstring(request.get_data())  # expect: PY-S851
    return {"items": len(root.findall("item"))}


@app.post("/catalog/import-safe")
def import_catalog_safe():
    """Same endpoint using defusedxml."""
    root = SafeET.fromstring(request.get_data())
    return {"items": len(root.findall("item"))}


def empty_catalog() -> ET.Element:
    """Template document, parsed from a constant."""
    return ET.fromstring(EMPTY_CATALOG)  # ok: PY-S851


def pretty(path: str) -> str:
    """Pretty-print a catalog file for the review screen."""
    return minidom.parse(path).toprettyxml(indent="  ")  # expect: PY-S851
