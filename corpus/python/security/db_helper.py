"""A thin database helper class used across the admin scripts."""

import sqlite3
from typing import Any, Iterable


class Database:
    """Wraps a sqlite3 connection with a few conveniences."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        """Run a statement; the caller supplies SQL and parameters separately."""
        return self.conn.execute(sql, tuple(params))  # ok: PY-S801

    def count(self, table: str) -> int:
        """Row count of a table named by the caller."""
        (count,) = self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # expect: PY-S801
        return int(count)

    def delete_user(self, user_id: int) -> None:
        """Delete a user by id."""
        self.conn.execute("DELETE FROM users WHERE id = ?", (user_id,))  # ok: PY-S801
        self.conn.commit()
