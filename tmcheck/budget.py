"""What one run may read in all: bytes, values and threats, whatever a pull request holds.

Each file is bounded on its own (`max_file_bytes`, 50,000 values); a run of `max_files` such
files is not (1,000 files of 4,000 threats would take tens of gigabytes). So a run also has a
budget: once it is spent, no further file is read, and one `run-budget` error says how many
were not and which was the first. The budget is checked before each file, so a run reads at
most one file past it: memory and time stay bounded by the budget plus one file's limits.
"""

from __future__ import annotations

from dataclasses import dataclass

# The budget grows with `max_files` (default 1,000: 64 MiB, 500,000 values, 10,000 threats):
# a repository that asks for more files asks for more of each. What one file costs on average:
BYTES_PER_FILE = 64 * 1024  # 64 MiB for 1,000 files: four files at a tool format's 16 MiB
VALUES_PER_FILE = 500  # keys, items and scalars of YAML and JSON files: a worksheet has ~300
THREATS_PER_FILE = 10
DEFAULT_FILES = 1_000
MAX_RUN_BYTES = BYTES_PER_FILE * DEFAULT_FILES
MAX_RUN_VALUES = VALUES_PER_FILE * DEFAULT_FILES
MAX_RUN_THREATS = THREATS_PER_FILE * DEFAULT_FILES
RULE = "run-budget"


@dataclass
class RunBudget:
    """What the run has read so far, against its limits."""

    max_bytes: int = MAX_RUN_BYTES
    max_values: int = MAX_RUN_VALUES
    max_threats: int = MAX_RUN_THREATS
    bytes: int = 0
    values: int = 0
    threats: int = 0

    @classmethod
    def for_files(cls, max_files: int) -> RunBudget:
        """The budget of a run of at most `max_files` files."""
        files = max(max_files, 1)
        return cls(BYTES_PER_FILE * files, VALUES_PER_FILE * files, THREATS_PER_FILE * files)

    def charge(self, *, bytes: int = 0, values: int = 0, threats: int = 0) -> None:
        self.bytes += bytes
        self.values += values
        self.threats += threats

    @property
    def spent(self) -> str | None:
        """Which limit the run has reached, in words; None while it may read on."""
        if self.threats >= self.max_threats:
            return f"{self.threats} threats (at most {self.max_threats} in a run)"
        if self.values >= self.max_values:
            return f"{self.values} values (at most {self.max_values} in a run)"
        if self.bytes >= self.max_bytes:
            return f"{self.bytes} bytes (at most {self.max_bytes} in a run)"
        return None

    def refusal(self, not_read: int) -> str:
        """The message of the finding on the first file not read."""
        return (
            f"{not_read} files not read: the run's budget is spent after {self.spent};"
            " the first not read is this one. Check fewer or smaller files per run"
        )
