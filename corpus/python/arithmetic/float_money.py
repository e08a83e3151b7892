"""Price and tax checks written with floats."""

TAX_RATE = 0.1
BASE_PRICE = 0.2
EXPECTED_TOTAL = 0.3
HALF = 0.5
QUARTER = 0.25


def totals_match() -> bool:
    """Check the advertised total against base price plus tax."""
    return TAX_RATE + BASE_PRICE == EXPECTED_TOTAL  # expect: PY-A006


def totals_differ() -> bool:
    """Flag a mismatch between the computed and the advertised total."""
    total = TAX_RATE + BASE_PRICE
    if total != 0.3:  # expect: PY-A006
        return True
    return False


def three_dimes() -> bool:
    """Three coins of ten cents make thirty cents."""
    return 0.1 * 3 == 0.3  # expect: PY-A006


def binary_fractions() -> bool:
    """Halves and quarters are exact in binary."""
    return HALF + QUARTER == 0.75  # ok: PY-A006


def unit_price_check() -> bool:
    """Ten items at 1.1 cost 11."""
    unit = 1.1
    return unit * 10 == 11.0  # ok: PY-A006


def different_prices() -> bool:
    """Two clearly different prices."""
    return BASE_PRICE * 2 == 0.5  # ok: PY-A006


def split_bill() -> bool:
    """A 0.7 bill split into a 0.6 and a 0.1 share."""
    return 0.7 - 0.6 == 0.1  # expect: PY-A006


def invoice_balances(subtotal: float, tax: float, total: float) -> bool:
    """The invoice adds up: rounding can make equal amounts compare unequal."""
    return subtotal + tax == total  # expect: PY-A006


def invoice_balances_in_cents(subtotal: int, tax: int, total: int) -> bool:
    """Amounts in cents are ints: exact."""
    return subtotal + tax == total  # ok: PY-A006


def split_evenly(amount: float, parts: int) -> bool:
    """Comparing with a tolerance is not an exact comparison."""
    share = amount / 3
    return abs(share * 3 - amount) < 1e-9  # ok: PY-A006


def regrouped_sum(a: float, b: float, c: float) -> bool:
    """Addition of doubles is not associative."""
    return (a + b) + c == a + (b + c)  # expect: PY-A006


def discount_of_nothing(price: float) -> bool:
    """Adding zero is exact for every double: proved, not just unreported."""
    return price + 0.0 == price  # ok: PY-A006


def same_sum_either_way(net: float, tax: float) -> bool:
    """Addition of doubles is commutative, exactly."""
    return net + tax == tax + net  # ok: PY-A006


def fee_refunded(amount: float, fee: float) -> bool:
    """Charging and refunding a fee need not give the amount back."""
    return amount + fee - fee == amount  # expect: PY-A006
