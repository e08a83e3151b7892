"""Order service as an assistant left it: some bodies written, some left for later."""

import abc
import os
from typing import Protocol

import requests

API_KEY = "YOUR_API_KEY"  # expect: PY-A203
BASE_URL = "https://api.example.com/v1"  # expect: PY-A203
STATUS_URL = "https://status.shipping-partner.io/v2"  # ok: PY-A203
DB_PASSWORD = os.environ.get("DB_PASSWORD", "")  # ok: PY-A203


class Notifier(Protocol):
    def send(self, to: str, text: str) -> bool: ...  # ok: PY-A201


class Repository(abc.ABC):
    @abc.abstractmethod
    def load(self, order_id: int) -> dict:  # ok: PY-A201
        raise NotImplementedError

    def on_saved(self, order: dict) -> None:  # ok: PY-A201
        pass


class OrderError(Exception):
    pass


class Exporter:
    def export(self, orders: list) -> str:  # ok: PY-A201
        raise NotImplementedError("subclasses choose a format")


def fetch_order(order_id: int) -> dict:
    response = requests.get(
        f"{BASE_URL}/orders/{order_id}", headers={"X-Key": API_KEY}, timeout=10
    )
    return response.json()


def order_total(order: dict) -> float:  # expect: PY-A201
    """Sum of the line items, with tax."""
    pass


def apply_discount(order: dict, code: str):  # expect: PY-A201
    # TODO: look the code up and apply it
    ...


def refund(order_id: int):  # expect: PY-A201
    raise NotImplementedError


def ship(order: dict) -> None:
    label = {"to": order["address"], "weight": order["weight"]}
    # ... rest of the implementation  # expect: PY-A202
    print(label)


def cancel(order: dict) -> None:
    # The rest of the order stays untouched.  # ok: PY-A202
    order["status"] = "cancelled"
