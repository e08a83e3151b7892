"""Progress reporting for long running jobs."""


class Progress:
    """Tracks how many tasks of a batch are done."""

    def __init__(self, tasks: list):
        self.tasks = tasks
        self.done = 0

    def percent(self) -> float:
        """Completion in percent."""
        if len(self.tasks) == 0:
            return 100.0
        return 100 * self.done / len(self.tasks)  # ok: PY-A001

    def percent_unchecked(self) -> float:
        """Completion in percent, without the empty-batch case."""
        return 100 * self.done / len(self.tasks)  # expect: PY-A001
