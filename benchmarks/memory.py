"""Peak memory of a process tree (a run's parent and its worker processes), read from /proc.

``getrusage(RUSAGE_CHILDREN)`` reports the largest terminated child, not the sum of the workers
that ran side by side, so the tree is sampled instead (every 50 ms): the peak is the largest sum
of VmRSS seen at one instant. The sum of each process's own peak (VmHWM) is also kept: an upper
bound that is never exceeded, but that adds peaks which did not happen at the same time. Both
count the pages a forked worker shares copy-on-write with its parent in each process, so both
err on the high side.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_PROC = Path("/proc")


def _status_kb(pid: int, *keys: str) -> dict[str, int]:
    found: dict[str, int] = {}
    try:
        text = (_PROC / str(pid) / "status").read_text()
    except OSError:
        return found
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in keys:
            found[key] = int(value.split()[0])
    return found


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (/proc/<pid>/stat; the name may hold spaces)."""
    parents: dict[int, int] = {}
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    return parents


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    pids, stack = [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        stack.extend(children.get(current, []))
    return pids


class TreeSampler:
    """Samples the process tree under ``pid`` in a thread until :meth:`stop`.

    The tree is re-read (a walk of /proc) every ``rescan`` samples; in between only the known
    processes are read, so sampling often costs little CPU on a machine that has little to spare.
    """

    def __init__(self, pid: int, interval: float = 0.05, rescan: int = 10) -> None:
        self.pid = pid
        self.interval = interval
        self.rescan = rescan
        self.peaks_kb: dict[int, int] = {}
        """VmHWM per process, as last read."""
        self.max_total_kb = 0
        """Largest simultaneous sum of VmRSS over the samples."""
        self.max_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def _sample(self, pids: list[int]) -> None:
        total, alive = 0, 0
        for pid in pids:
            values = _status_kb(pid, "VmRSS", "VmHWM")
            if not values:
                continue
            alive += 1
            total += values.get("VmRSS", 0)
            self.peaks_kb[pid] = max(self.peaks_kb.get(pid, 0), values.get("VmHWM", 0))
        self.max_total_kb = max(self.max_total_kb, total)
        self.max_processes = max(self.max_processes, alive)

    def _run(self) -> None:
        pids: list[int] = []
        count = 0
        while not self._stop.is_set():
            if count % self.rescan == 0:
                pids = tree(self.pid)
            self._sample(pids)
            count += 1
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sum_of_peaks_kb(self, exact_self_kb: int = 0, exact_largest_child_kb: int = 0) -> int:
        """Sum of per-process peaks; exact figures, when given (the root's own VmHWM, getrusage of
        the largest reaped child), replace the sampled ones (sampling may miss a last spike)."""
        peaks = dict(self.peaks_kb)
        root = max(peaks.pop(self.pid, 0), exact_self_kb)
        others = sorted(peaks.values(), reverse=True)
        if others:
            others[0] = max(others[0], exact_largest_child_kb)
        elif exact_largest_child_kb:
            others = [exact_largest_child_kb]
        return root + sum(others)


def cpu_seconds() -> float:
    """User and system CPU of this process and of its reaped children (the pool's workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def self_peak_kb() -> int:
    """This process's own peak (VmHWM). Not ``getrusage(RUSAGE_SELF)``: Linux carries ru_maxrss
    across exec, so a process started by a big parent (vfork/exec) would report the parent's size."""
    return _status_kb(os.getpid(), "VmHWM").get("VmHWM", 0)


def children_peak_kb() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))
