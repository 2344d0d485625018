"""What a block of a test costs: CPU time, the measure of work, and wall time.

The suite runs a process per core and CI has two cores, so a test's wall time also counts
whatever else the machine does meanwhile. Bounds on work are bounds on CPU time; wall time is
only for what CPU time cannot show (a hang, a sleep), with room for a busy machine.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Spent:
    cpu: float = 0.0
    wall: float = 0.0

    def __str__(self) -> str:
        return f"{self.cpu:.2f} s CPU, {self.wall:.2f} s wall"


def cpu_seconds() -> float:
    """CPU time of the calling thread and of the child processes waited for (git, a template's
    renderer): not the fake GitHub server's thread, nor another test process."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.thread_time() + children.ru_utime + children.ru_stime


@contextmanager
def spending() -> Iterator[Spent]:
    """Measure the block: `with spending() as spent: ...`, then `spent.cpu`, `spent.wall`."""
    spent = Spent()
    cpu, wall = cpu_seconds(), time.monotonic()
    try:
        yield spent
    finally:
        spent.cpu, spent.wall = cpu_seconds() - cpu, time.monotonic() - wall
