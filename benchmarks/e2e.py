"""One real end-to-end run (``Pipeline.run_once``) in a fresh process, and its parent-side launcher.

Each run gets its own process so that its memory is its own (the benchmark's process holds models
for the stage pass) and so that its peak RSS, workers included, can be read from /proc while it
runs. Inside, nothing is instrumented: the stage boundaries come from the pipeline's own progress
callback, which it calls anyway.

Child: ``python -m benchmarks.e2e SPEC.json`` prints one JSON line (seconds, the run report, stage
seconds, getrusage peaks).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import ROOT
from benchmarks.memory import TreeSampler, children_peak_kb, cpu_seconds, self_peak_kb


def child_env() -> dict[str, str]:
    """The environment of every process the benchmark starts: the repository importable, and no
    NEWSWATCH_* setting of the caller's shell leaking into the measured configuration."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("NEWSWATCH_") or key.startswith("NEWSWATCH_BENCH_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """The child's work: one ``run_once`` with the given settings, timed as a whole."""
    from pipeline.config import load_settings
    from pipeline.logs import setup_logging
    from pipeline.runner import Pipeline

    setup_logging("ERROR")
    settings = load_settings(None, **spec["settings"])
    last: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        last[stage] = time.perf_counter()

    began = time.perf_counter()
    pipeline = Pipeline(settings)
    try:
        ready = time.perf_counter()
        report = pipeline.run_once(progress=progress)
        ran = time.perf_counter()
    finally:
        pipeline.close()
    ended = time.perf_counter()
    # Stage boundaries: each stage ends at its last progress call (a stage with no work has none).
    marks = [("setup", ready)]
    for stage, name in (("feeds", "feeds"), ("pages", "fetch"), ("articles", "process")):
        marks.append((name, last.get(stage, marks[-1][1])))
    marks += [("alerts", ran), ("close", ended)]
    stage_seconds = {name: round(mark - previous, 3)
                     for (name, mark), (_, previous) in zip(marks, [("start", began), *marks[:-1]], strict=True)}
    return {
        "seconds": ended - began,
        "report": report.model_dump(mode="json", exclude={"started_at", "finished_at"}),
        "stage_seconds": stage_seconds,
        "cpu_seconds": cpu_seconds(),
        "maxrss_self_kb": self_peak_kb(),
        "maxrss_children_kb": children_peak_kb(),
    }


def launch(spec: dict[str, Any], workdir: Path, name: str, timeout: float = 6 * 3600) -> dict[str, Any]:
    """Run a child with ``spec``, sampling its process tree's memory; its stderr goes to
    ``workdir/<name>.log``."""
    spec_path = workdir / f"{name}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    log_path = workdir / f"{name}.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.e2e", str(spec_path)], stdout=subprocess.PIPE,
                                stderr=log, text=True, cwd=ROOT, env=child_env())
        sampler = TreeSampler(proc.pid).start()
        try:
            out, _ = proc.communicate(timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            sampler.stop()
    lines = out.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = log_path.read_text(encoding="utf-8")[-3000:]
        raise RuntimeError(f"end-to-end run {name!r} failed (exit {proc.returncode}); {log_path}:\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["peak_rss_kb"] = sampler.max_total_kb
    result["peak_rss_upper_kb"] = sampler.sum_of_peaks_kb(result["maxrss_self_kb"], result["maxrss_children_kb"])
    result["processes"] = sampler.max_processes
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    spec = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    print(json.dumps(run(spec)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
