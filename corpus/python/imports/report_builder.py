"""Sales report helpers, as an assistant wrote them: a mix of real, standard-library,
invented, misspelt and squatted imports. Nothing here declares dependencies, so an
undeclared real package is fine."""

import json  # ok: PY-S001
import os.path  # ok: PY-S001
from collections import Counter  # ok: PY-S001
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np  # ok: PY-S001, PY-S002, PY-S004
import pandas as pd  # ok: PY-S001, PY-S002, PY-S004
import yaml  # ok: PY-S001
from sklearn.linear_model import LinearRegression  # ok: PY-S001
from bs4 import BeautifulSoup  # ok: PY-S001
from google.cloud import storage  # ok: PY-S001

from sales_trend_forecaster import forecast_quarter  # expect: PY-S001
import padnas  # expect: PY-S002
import colourama  # expect: PY-S002
from csv_stats import summarize  # expect: PY-S003

try:
    import orjson_turbo_serializer as fastjson  # ok: PY-S001
except ImportError:
    fastjson = json

if TYPE_CHECKING:
    from sales_typing_helpers import SalesFrame  # ok: PY-S001


@dataclass
class Report:
    title: str
    totals: Counter


def load_config(path: str) -> dict:
    with open(os.path.join(os.path.dirname(__file__), path)) as fh:
        return yaml.safe_load(fh)


def build(path: str) -> Report:
    frame = pd.read_csv(path)
    model = LinearRegression().fit(np.arange(len(frame)).reshape(-1, 1), frame["amount"])
    forecast_quarter(model)
    summarize(path)
    padnas.read(path)
    colourama.init()
    return Report(title="sales", totals=Counter(frame["region"]))


def scrape(html: str) -> list:
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]


def upload(bucket: str, path: str) -> None:
    storage.Client().bucket(bucket).blob(path).upload_from_filename(path)
    fastjson.dumps({})


def chart_backend():
    import importlib

    return importlib.import_module("sales_chart_magic_renderer")  # expect: PY-S001
