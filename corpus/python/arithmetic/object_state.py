"""Objects whose state is set up elsewhere, and objects whose state the caller chooses."""

import asyncio


class Relation:
    """`path_infos` is computed by the class itself; it always has target fields."""

    @property
    def target_field(self):
        target_fields = self.path_infos[-1].target_fields
        if len(target_fields) > 1:
            raise ValueError("multiple target fields")
        return target_fields[0]  # ok: PY-A003


class Window:
    """The constructor takes the sizes as given: `Window([])` is a valid call."""

    def __init__(self, sizes: list):
        self.sizes = sizes

    def first(self):
        if len(self.sizes) > 1:
            raise ValueError("ambiguous")
        return self.sizes[0]  # expect: PY-A003

    def mean(self):
        return sum(self.sizes) / len(self.sizes)  # expect: PY-A001


async def first_done(make_body, watch):
    tasks = [asyncio.create_task(make_body()), asyncio.create_task(watch())]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in tasks:
        task.cancel()
    # `asyncio.wait` got the list; what it holds now is its business, not a guess of ours.
    return tasks[1].result()  # ok: PY-A003
