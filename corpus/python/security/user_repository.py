"""User lookups for the support dashboard (sqlite3)."""

import sqlite3


def find_by_email(conn: sqlite3.Connection, email: str):
    """Look up one user by e-mail address."""
    cur = conn.cursor()
    cur.execute(f"SELECT id, name FROM users WHERE email = '{email}'")  # expect: PY-S801
    return cur.fetchone()


def find_by_email_param(conn: sqlite3.Connection, email: str):
    """The parameterised version."""
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))  # ok: PY-S801
    return cur.fetchone()


def find_by_id(conn: sqlite3.Connection, user_id: str):
    """Look up a user by the numeric id from the URL."""
    cur = conn.cursor()
    cur.execute(f"SELECT id, name FROM users WHERE id = {int(user_id)}")  # ok: PY-S801
    return cur.fetchone()


def deactivate(conn: sqlite3.Connection, usernames: list[str]) -> None:
    """Deactivate several accounts in one statement."""
    conn.executemany("UPDATE users SET active = 0 WHERE username = ?", [(u,) for u in usernames])  # ok: PY-S801
    conn.commit()


def recent_signups(conn: sqlite3.Connection, days: str):
    """Users who signed up in the last N days."""
    query = "SELECT id, email FROM users WHERE created_at > date('now', '-" + days + " days')"
    return conn.execute(query).fetchall()  # expect: PY-S801
