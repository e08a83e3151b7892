"""Dataset import helpers for the analytics notebook backend."""

import jsonpickle
import pandas as pd


def load_frame(path: str) -> pd.DataFrame:
    """Load a DataFrame cached by a previous notebook run."""
    return pd.read_pickle(path)  # expect: PY-S301


def load_frame_csv(path: str) -> pd.DataFrame:
    """Load the CSV export instead."""
    return pd.read_csv(path)


def decode_job(payload: str):
    """Rebuild a job object posted by the scheduler."""
    return jsonpickle.decode(payload)  # expect: PY-S301
