"""Template tag parsing split into private helpers, the way generated code often is."""


def _tag_name(bits):
    # The helper trusts its callers: every call below passes a non-empty list.
    return bits[0]  # ok: PY-A003


def _last_two(bits):
    if len(bits) == 1:
        return bits[0]
    return bits[-2]  # ok: PY-A003


def parse_tag(contents: str):
    bits = contents.split()
    if not bits:
        raise ValueError("empty tag")
    return _tag_name(bits)


def parse_pair(contents: str):
    bits = contents.split(" ")
    return _last_two(bits)


def parse_empty():
    return _tag_name([])  # expect: PY-A003


def _share(total: float, parts: list) -> float:
    return total / len(parts)  # ok: PY-A001


def share_checked(total: float, parts: list) -> float:
    if not parts:
        return total
    return _share(total, parts)


def share_unchecked(total: float, parts: list) -> float:
    # Nothing stops a caller from passing [] here, and the helper divides by its length.
    return _share(total, parts)  # expect: PY-A001


class Concat:
    def __init__(self, *expressions):
        if len(expressions) < 2:
            raise ValueError("Concat needs at least two expressions")
        self.paired = self._paired(list(expressions))

    def _paired(self, expressions):
        if len(expressions) == 2:
            return tuple(expressions)
        return (expressions[0], self._paired(expressions[1:]))  # ok: PY-A003

    def single(self):
        return self._paired([])  # expect: PY-A003
