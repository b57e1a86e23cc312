"""How many CPU cores this process may really use: its CPU affinity, capped by a cgroup quota
(containers often see every core of the host but may use only a few)."""

from __future__ import annotations

import math
import os
from functools import cache
from pathlib import Path

CGROUP_V2_LIMIT = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_QUOTA = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
CGROUP_V1_PERIOD = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")


@cache
def available_cores() -> int:
    """Cores this process can run on at once (at least 1)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    quota = cgroup_quota()
    return max(1, min(cores, math.ceil(quota)) if quota else cores)


def cgroup_quota(
    v2: Path = CGROUP_V2_LIMIT, v1_quota: Path = CGROUP_V1_QUOTA, v1_period: Path = CGROUP_V1_PERIOD
) -> float | None:
    """The cgroup's CPU quota in cores (``cpu.max`` of cgroup v2, else v1's CFS quota), or
    None where there is none or it cannot be read."""
    try:
        quota, period = v2.read_text(encoding="ascii").split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota_us = int(v1_quota.read_text(encoding="ascii"))
        period_us = int(v1_period.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    return quota_us / period_us if quota_us > 0 and period_us > 0 else None
