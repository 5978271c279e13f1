"""A visit's stopwatch: the steps it went through, each with its start (from the visit's start) and duration."""

from __future__ import annotations

import time

from auditor.evidence import StepTiming


class StepClock:
    """Times consecutive steps: :meth:`begin` ends the open step (if any) and starts the next one."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.prefix = ""  # put before each step's name: the page a crawler loads in the visit's context
        self.steps: list[StepTiming] = []
        self._open: tuple[str, float] | None = None

    def begin(self, step: str) -> str:
        """Start ``step`` (ending the one before); returns ``step``, so ``step = clock.begin("...")`` reads well."""
        self.end()
        self._open = (self.prefix + step, time.monotonic())
        return step

    def end(self) -> None:
        """End the open step, if there is one."""
        if self._open is not None:
            step, started = self._open
            now = time.monotonic()
            self.steps.append(
                StepTiming(
                    step=step,
                    start_ms=round((started - self.t0) * 1000, 1),
                    duration_ms=round((now - started) * 1000, 1),
                )
            )
            self._open = None
