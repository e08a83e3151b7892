"""Raw SQL escape hatches in the shop app (Django)."""

from django.db.models.expressions import RawSQL

from shop.models import Order


def orders_for(customer: str):
    """Orders of one customer via a raw query."""
    return Order.objects.raw(f"SELECT * FROM shop_order WHERE customer = '{customer}'")  # expect: PY-S802


def orders_for_param(customer: str):
    """The same with params."""
    return Order.objects.raw("SELECT * FROM shop_order WHERE customer = %s", [customer])  # ok: PY-S802


def annotate_priority(tag: str):
    """Annotate orders with a priority computed in SQL."""
    return Order.objects.annotate(priority=RawSQL("CASE WHEN tag = '" + tag + "' THEN 1 ELSE 0 END", ()))  # expect: PY-S802


def annotate_priority_param(tag: str):
    """Same, with the tag as a parameter."""
    return Order.objects.annotate(priority=RawSQL("CASE WHEN tag = %s THEN 1 ELSE 0 END", (tag,)))  # ok: PY-S802
