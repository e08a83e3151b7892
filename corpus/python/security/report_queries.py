"""Reporting queries assembled with %-mappings, as an assistant wrote them."""

import sqlite3


def monthly_totals(conn: sqlite3.Connection, year: str, month: str):
    """Totals for one month; the values are validated as numbers first."""
    params = {"year": int(year), "month": int(month)}
    sql = "SELECT SUM(amount) FROM sales WHERE year = %(year)d AND month = %(month)d" % params
    return conn.execute(sql).fetchone()  # ok: PY-S801


def customer_totals(conn: sqlite3.Connection, customer: str):
    """Totals for one customer, with the name pasted into the SQL text."""
    params = {"customer": customer}
    sql = "SELECT SUM(amount) FROM sales WHERE customer = '%(customer)s'" % params
    return conn.execute(sql).fetchone()  # expect: PY-S801


def region_totals(conn: sqlite3.Connection, region_id: str):
    """Inline mapping with a converted id."""
    sql = "SELECT SUM(amount) FROM sales WHERE region = %(region)s" % {"region": int(region_id)}
    return conn.execute(sql).fetchone()  # ok: PY-S801


def safe_customer_totals(conn: sqlite3.Connection, customer: str):
    """The right way: a bound parameter."""
    return conn.execute("SELECT SUM(amount) FROM sales WHERE customer = ?", (customer,)).fetchone()  # ok: PY-S801


def set_session_format(cursor, use_tz: bool):
    # Both texts are literals: whichever is taken, nothing in the SQL comes from data.
    cursor.execute(  # ok: PY-S801
        "ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD'"
        + (" TIME_ZONE = 'UTC'" if use_tz else "")
    )
