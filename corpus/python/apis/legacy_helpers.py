"""Helpers an assistant wrote from memory: APIs from other languages, from Python 2, and
from Pythons before 3.10."""

import collections
import json
import os
import sys
import time
from datetime import datetime

import imp  # expect: PY-A102
import urllib2  # expect: PY-A102
from collections import Mapping  # expect: PY-A102
from itertools import flatten  # expect: PY-A101
from os import path  # ok: PY-A101

try:
    import cPickle as pickle  # ok: PY-A102
except ImportError:
    import pickle

if sys.version_info < (3, 11):
    import tomli as tomllib  # ok: PY-A102
else:
    import tomllib  # ok: PY-A102


def load(text: str) -> dict:
    return json.parse(text)  # expect: PY-A101


def dump(data: dict) -> str:
    return json.dumps(data)  # ok: PY-A101


def is_mapping(value: object) -> bool:
    return isinstance(value, collections.Mapping)  # expect: PY-A102


def elapsed(start: float) -> float:
    return time.clock() - start  # expect: PY-A102


def stamp() -> str:
    return datetime.utcnow().isoformat()  # expect: PY-A103


def joined(*parts: str) -> str:
    return path.join(*parts) + os.sep  # ok: PY-A101


def config_path() -> str:
    if hasattr(os, "getuid"):
        return os.path.expanduser("~/.config")
    return os.getcwdu()  # expect: PY-A102


def loader():
    return imp.load_source("plugin", "plugin.py"), urllib2, Mapping, flatten, pickle, tomllib
