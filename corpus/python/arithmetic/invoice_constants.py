"""Invoice constants for the billing service.

Generated configuration: the totals are checked at import time.
"""

SUBTOTAL = 100
TAX = 18
TOTAL = 120

assert SUBTOTAL + TAX == TOTAL  # expect: PY-A002

DISCOUNT_PERCENT = 15
LIST_PRICE = 200
DISCOUNTED_PRICE = LIST_PRICE - LIST_PRICE * DISCOUNT_PERCENT // 100

assert DISCOUNTED_PRICE == 170  # ok: PY-A002


def line_total(quantity: int, unit_price: int) -> int:
    """Return the total for one invoice line."""
    return quantity * unit_price
