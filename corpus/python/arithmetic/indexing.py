"""Index arithmetic in small parsing and reporting helpers."""

from typing import Sequence

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def weekend_label() -> str:
    """Label for the sixth day of the week."""
    return WEEKDAYS[5]  # expect: PY-A003


def first_weekday() -> str:
    """The first working day."""
    return WEEKDAYS[0]  # ok: PY-A003


def last_weekday() -> str:
    """The last working day, counted from the end."""
    return WEEKDAYS[-5]  # ok: PY-A003


def before_monday() -> str:
    """One past the start, counted from the end."""
    return WEEKDAYS[-6]  # expect: PY-A003


def last_item(items: Sequence[str]) -> str:
    """Return the last element, computed from the length."""
    n = len(items)
    return items[n]  # expect: PY-A003


def last_item_fixed(items: Sequence[str]) -> str:
    """Return the last element of a non-empty sequence."""
    n = len(items)
    if n == 0:
        raise ValueError("no items")
    return items[n - 1]  # ok: PY-A003


def item_at(items: Sequence[int], position: int) -> int:
    """Return the item at ``position`` after a bounds check."""
    if position < len(items):
        return items[position]  # ok: PY-A003
    return 0


def item_at_checked(items: Sequence[int], position: int) -> int:
    """Return the item at ``position`` when it is inside the sequence."""
    if 0 <= position < len(items):
        return items[position]  # ok: PY-A003
    return 0


def head(items: list[str]) -> str:
    """First element, or an empty string."""
    if items:
        return items[0]  # ok: PY-A003
    return ""


def head_unchecked(items: list[str]) -> str:
    """First element; callers promise a non-empty list."""
    return items[0]  # ok: PY-A003


def pairwise_deltas(values: list[int]) -> list[int]:
    """Differences between neighbours."""
    deltas = []
    for i in range(len(values)):
        deltas.append(values[i + 1] - values[i])  # expect: PY-A003
    return deltas


def pairwise_deltas_fixed(values: list[int]) -> list[int]:
    """Differences between neighbours, stopping one short of the end."""
    deltas = []
    for i in range(len(values) - 1):
        deltas.append(values[i + 1] - values[i])  # ok: PY-A003
    return deltas


def scale_all(values: list[int], factor: int) -> list[int]:
    """Multiply each value in place."""
    for i in range(len(values)):
        values[i] = values[i] * factor  # ok: PY-A003
    return values


def histogram(scores: list[int]) -> list[int]:
    """Count scores 0..10 into buckets."""
    buckets = [0] * 10
    for s in scores:
        if 0 <= s <= 10:
            buckets[s] += 1  # expect: PY-A003
    return buckets


def histogram_fixed(scores: list[int]) -> list[int]:
    """Count scores 0..10 into eleven buckets."""
    buckets = [0] * 11
    for s in scores:
        if 0 <= s <= 10:
            buckets[s] += 1  # ok: PY-A003
    return buckets


def collected_first(rows: list[str]) -> str:
    """First non-empty row, after collecting them."""
    found = []
    for row in rows:
        if row:
            found.append(row)
    if len(found) > 0:
        return found[0]  # ok: PY-A003
    return ""


def built_then_read() -> int:
    """A list built up before it is read."""
    parts = []
    parts.append(1)
    parts.append(2)
    return parts[1]  # ok: PY-A003


def parse_header(line: str) -> tuple[str, str]:
    """Split ``key=value``; a bare key gets an empty value."""
    parts = line.split("=", 1)
    if len(parts) > 1:
        return parts[0], parts[1]  # ok: PY-A003
    return parts[0], ""  # ok: PY-A003


def parse_tag(bits: list[str]) -> str:
    """Read the variable name of ``{% tag as name %}``."""
    if len(bits) > 1:
        return bits[2]  # expect: PY-A003
    return ""


def first_matching(rows: list[dict], wanted: str) -> dict:
    """First row whose name matches."""
    return [r for r in rows if r.get("name") == wanted][0]  # expect: PY-A003


def cursor_read(tokens: list[str], pos: int) -> str:
    """Read at a cursor position checked against the end only."""
    if pos >= len(tokens):
        return ""
    return tokens[pos]  # ok: PY-A003


def first_event(bus) -> str:
    """First event a subscriber receives while the bus is flushed."""
    events = []
    bus.subscribe(events.append)
    bus.flush()
    return events[0]  # ok: PY-A003


def first_result(run) -> int:
    """Result collected by a nested callback."""
    results = []

    def on_done(value: int) -> None:
        results.append(value)

    run(on_done)
    return results[0]  # ok: PY-A003


def first_status(worker_cls) -> str:
    """Status a worker thread writes into a shared list."""
    status = []
    worker = worker_cls(args=(status,))
    worker.run()
    return status[-1]  # ok: PY-A003


def tag_argument(line: str) -> str:
    """The single argument of a ``name arg`` line."""
    bits = list(line.split(" "))
    if len(bits) != 2:
        raise ValueError("%r takes one argument" % bits[0])  # ok: PY-A003
    return bits[1]  # ok: PY-A003
