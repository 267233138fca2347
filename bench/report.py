"""What every benchmark prints beside its figures: the load average, and a ratio measured by wall
clock beside the same ratio by CPU time.

On a shared machine the wall clock moves with the load from other processes and CPU time hardly
does, so each ratio is printed both ways with the load average of the moment. The scripts import
this module by its bare name (``from report import ...``): run as ``python bench/x.py``, bench/ is
first on ``sys.path``.
"""

from __future__ import annotations

import os


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. ``1.52 1.61 1.70``."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ratios(wall: float, cpu: float, target: str, cpu_of: str = "") -> str:
    """``1.42x (target >= 1.7x), CPU-time ratio 1.05x``: the wall-clock ratio with its target,
    then the CPU-time ratio; ``cpu_of`` says what it compares or whose CPU it counts."""
    return f"{wall:.2f}x (target {target}), CPU-time ratio {cpu_of + ' ' if cpu_of else ''}{cpu:.2f}x"
