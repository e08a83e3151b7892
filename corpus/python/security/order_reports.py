"""Order reporting queries (psycopg2) for the finance team."""

import psycopg2

SORTABLE = ("created_at", "total", "status")


def orders_with_status(conn, status: str):
    """Orders in one status, built with %-formatting."""
    query = "SELECT id, total FROM orders WHERE status = '%s'" % status
    with conn.cursor() as cur:
        cur.execute(query)  # expect: PY-S801
        return cur.fetchall()


def orders_for_customer(conn, customer: str):
    """Orders for one customer, built with str.format."""
    with conn.cursor() as cur:
        cur.execute("SELECT id, total FROM orders WHERE customer = '{}'".format(customer))  # expect: PY-S801
        return cur.fetchall()


def orders_sorted(conn, column: str):
    """Orders sorted by a column picked in the UI; the column is allow-listed."""
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}")
    with conn.cursor() as cur:
        cur.execute(f"SELECT id, total FROM orders ORDER BY {column}")  # ok: PY-S801
        return cur.fetchall()


def orders_between(conn, start: str, end: str):
    """Orders in a date range, passed as parameters."""
    with conn.cursor() as cur:
        cur.execute("SELECT id, total FROM orders WHERE created_at BETWEEN %s AND %s", (start, end))  # ok: PY-S801
        return cur.fetchall()


def connect(dsn: str):
    """Open a connection for the report job."""
    return psycopg2.connect(dsn)
