"""FastAPI service entry point for the inventory API."""

import os

import uvicorn
from fastapi import FastAPI

app = FastAPI(title="inventory")


@app.get("/items/{item_id}")
async def read_item(item_id: int) -> dict:
    """Return a stub item."""
    return {"id": item_id}


def serve_public() -> None:
    """Run inside the container, reachable from the host."""
    uvicorn.run(app, host="0.0.0.0", port=8000)  # expect: PY-S702


def serve_local() -> None:
    """Run on the developer's machine only."""
    uvicorn.run(app, host="127.0.0.1", port=8000)  # ok: PY-S702


def serve_configured() -> None:
    """Bind address from the environment, local by default."""
    uvicorn.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=8000)  # ok: PY-S702
