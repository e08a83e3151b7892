"""Event analytics with SQLAlchemy and pandas."""

import pandas as pd
from sqlalchemy import create_engine, text

engine = create_engine("postgresql+psycopg2://analytics@db/analytics")


def count_events(kind: str) -> int:
    """Number of events of one kind."""
    with engine.connect() as conn:
        stmt = text(f"SELECT count(*) FROM events WHERE kind = '{kind}'")  # expect: PY-S803
        return conn.execute(stmt).scalar_one()


def count_events_bound(kind: str) -> int:
    """Same query with a bound parameter."""
    with engine.connect() as conn:
        stmt = text("SELECT count(*) FROM events WHERE kind = :kind")  # ok: PY-S803
        return conn.execute(stmt, {"kind": kind}).scalar_one()


def events_frame(source: str) -> pd.DataFrame:
    """Load the events of one source into a DataFrame."""
    return pd.read_sql(f"SELECT * FROM events WHERE source = '{source}'", engine)  # expect: PY-S801


def events_frame_bound(source: str) -> pd.DataFrame:
    """Same, with parameters."""
    return pd.read_sql(text("SELECT * FROM events WHERE source = :source"), engine, params={"source": source})  # ok: PY-S801, PY-S803
