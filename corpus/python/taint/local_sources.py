"""A command-line tool: argv, stdin and the environment belong to the user running it,
so under the default (remote) threat model none of them is an attacker's."""

import os
import pickle
import subprocess
import sys


def main() -> None:
    target = sys.argv[1]
    subprocess.run("ls " + target, shell=True, check=False)  # ok: PY-S202
    expr = input("expression: ")
    print(eval(expr))  # ok: PY-S101
    with open(os.environ["CACHE_FILE"], "rb") as fh:
        state = pickle.load(fh)  # ok: PY-S301
    print(10 / int(os.getenv("WORKERS", "1")))  # ok: PY-A001
    print(state)


def fetch_and_run() -> None:
    """An HTTP response is remote data even in a script."""
    import requests

    script = requests.get("https://example.com/install.txt", timeout=10).text
    exec(script)  # expect: PY-S102
