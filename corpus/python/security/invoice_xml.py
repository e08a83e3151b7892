"""Parse e-invoices (UBL XML) with lxml."""

from lxml import etree

HARDENED = etree.XMLParser(resolve_entities=False, no_network=True)  # ok: PY-S853
PRETTY = etree.XMLParser(remove_blank_text=True)  # expect: PY-S853


def customer_name(xml_bytes: bytes) -> str:
    """Extract the buyer's name from an uploaded invoice."""
    doc = etree.fromstring(xml_bytes)  # expect: PY-S852
    return doc.findtext(".//{*}RegistrationName") or ""


def customer_name_safe(xml_bytes: bytes) -> str:
    """Same, with the hardened parser."""
    doc = etree.fromstring(xml_bytes, parser=HARDENED)  # ok: PY-S852
    return doc.findtext(".//{*}RegistrationName") or ""


def load_template() -> etree._Element:
    """Skeleton invoice, parsed from a constant."""
    return etree.fromstring(b"<Invoice/>")  # ok: PY-S852


def load_for_display(path: str) -> etree._ElementTree:
    """Parse an invoice file for the HTML preview."""
    return etree.parse(path, PRETTY)  # ok: PY-S852
