"""Database connection helpers for the reporting jobs."""

import os

import psycopg2

DATABASE_URL = "postgresql://reporting:Qm8vT2pLx9@db.internal:5432/reports"  # expect: PY-S901
TEMPLATE_URL = "postgresql://reporting:${DB_PASSWORD}@db.internal:5432/reports"  # ok: PY-S901
LOCAL_URL = "postgresql://localhost:5432/reports"  # ok: PY-S901


def connect_hardcoded():
    """Connect with the credentials from the setup guide."""
    return psycopg2.connect(host="db.internal", dbname="reports", user="reporting", password="Qm8vT2pLx9")  # expect: PY-S901


def connect_from_env():
    """Connect with credentials from the environment."""
    return psycopg2.connect(
        host="db.internal",
        dbname="reports",
        user=os.environ["DB_USER"],
        password=os.environ["DB_PASSWORD"],  # ok: PY-S901
    )


def connect_with_default():
    """Fall back to the shared development password."""
    password = os.getenv("DB_PASSWORD", "devpass!42")  # expect: PY-S901
    return psycopg2.connect(host="localhost", dbname="reports", user="dev", password=password)


def connect_optional():
    """No fallback: an empty password means peer authentication."""
    password = os.getenv("DB_PASSWORD", "")  # ok: PY-S901
    return psycopg2.connect(host="localhost", dbname="reports", password=password)
