"""Business rules with branch conditions, as an assistant might write them."""

DEBUG = False


def shipping_cost(weight_kg: int) -> float:
    """Price by weight class."""
    if weight_kg > 20:
        return 25.0
    elif weight_kg > 30:  # expect: PY-A005
        return 40.0
    return 5.0


def shipping_cost_fixed(weight_kg: int) -> float:
    """Price by weight class, heaviest first."""
    if weight_kg > 30:  # ok: PY-A005
        return 40.0
    elif weight_kg > 20:  # ok: PY-A005
        return 25.0
    return 5.0


def classify(age: int) -> str:
    """Age bracket."""
    if age < 0:
        raise ValueError("negative age")
    if age >= 0 or age < 0:  # expect: PY-A005
        return "valid"
    return "invalid"


def in_band(level: int) -> bool:
    """Whether a level is in the warning band."""
    if level > 10 and level < 5:  # expect: PY-A005
        return True
    return False


def in_band_fixed(level: int) -> bool:
    """Whether a level is in the warning band."""
    if level > 5 and level < 10:  # ok: PY-A005
        return True
    return False


def discount(total: int, is_member: bool) -> int:
    """Member discount on large orders."""
    if total <= 100:
        return 0
    if total > 50:  # expect: PY-A005
        return 10 if is_member else 5
    return 0


def retry_delay(attempt: int) -> int:
    """Backoff in seconds."""
    if attempt < 3:
        return 1
    if attempt < 6:  # ok: PY-A005
        return 5
    return 30


def trace(message: str) -> None:
    """Print only in debug builds; a constant the author set on purpose."""
    if DEBUG:  # ok: PY-A005
        print(message)


def drain(queue_size: int) -> int:
    """Count down a queue."""
    handled = 0
    while queue_size > 0:  # ok: PY-A005
        queue_size -= 1
        handled += 1
    return handled


def countdown(start: int) -> int:
    """Loop that can never start for a guarded value."""
    if start > 0:
        return start
    steps = 0
    while start > 0:  # expect: PY-A005
        start -= 1
        steps += 1
    return steps


def first_match(names: list[str], wanted: str) -> int:
    """Index of ``wanted``, or -1."""
    found = -1
    for i, name in enumerate(names):
        if name == wanted:
            found = i
            break
    if found >= 0:  # ok: PY-A005
        return found
    return -1


def normalise(values: list[int]) -> list[int]:
    """Scale values into 0..100, returning early for an empty list."""
    if not values:
        return []
    if len(values) == 0:  # expect: PY-A005
        return []
    top = max(values)
    return [v * 100 // top for v in values if top]


def is_fraction(ratio: float) -> bool:
    """Strictly between zero and one; floats fit there, ints do not."""
    if ratio > 0 and ratio < 1:  # ok: PY-A005
        return True
    return False


def connect_timeout(timeout: int | None = None) -> int:
    """Timeout in seconds, defaulting to 30."""
    if timeout is None:  # ok: PY-A005
        timeout = 30
    if timeout is None:  # expect: PY-A005
        raise ValueError("no timeout")
    return timeout


def pick_batch(pending: list[str], batch_size: int) -> list[str]:
    """Next batch of pending work."""
    batch = []
    for item in pending:
        batch.append(item)
        if len(batch) >= batch_size:  # ok: PY-A005
            break
    if batch:  # ok: PY-A005
        return batch
    return []


def is_missing(reading: int) -> bool:
    """NaN check written the classic way."""
    if reading != reading:  # ok: PY-A005
        return True
    return False


def poll(limit: int) -> int:
    """Poll until the limit, leaving with break."""
    count = 0
    while True:  # ok: PY-A005
        count += 1
        if count >= limit:  # ok: PY-A005
            break
    return count


def sort_order(nulls_first: bool | None = None) -> str:
    """NULLS FIRST only for an explicit False check after a truthiness check."""
    if nulls_first:
        return "NULLS FIRST"
    if nulls_first is False:  # ok: PY-A005
        return "NULLS LAST"
    return ""
