"""File helpers with the parameter names an assistant remembered."""

import json
import os
import re
import shutil
import subprocess
import time


def ensure_dir(path: str) -> None:
    os.makedirs(path, exists_ok=True)  # expect: PY-A104


def ensure_dir_ok(path: str) -> None:
    os.makedirs(path, mode=0o750, exist_ok=True)  # ok: PY-A104


def words(text: str) -> list:
    return re.findall(r"\w+", text, flag=re.IGNORECASE)  # expect: PY-A104


def pause(seconds: float) -> None:
    time.sleep(seconds, 0.5)  # expect: PY-A104


def save(path: str, data: dict) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:  # ok: PY-A104
        json.dump(data, fh, indent=2, sort_keys=True)  # ok: PY-A104
    print("saved", path, sep=": ", flush=True)  # ok: PY-A104


def clean(path: str, **options) -> None:
    shutil.rmtree(path, **options)  # ok: PY-A104
    subprocess.run(["sync"], check=True, text=True)  # ok: PY-A104


async def throttle(loop) -> None:
    import asyncio

    await asyncio.sleep(0.1, loop=loop)  # expect: PY-A104
    await asyncio.sleep(0.1)  # ok: PY-A104
