"""`newswatch selftest`: the fault scenarios of tests/faults/ run against local servers, with figures.

A monitoring pipeline runs unattended against the open web; the figures say whether it survives it:
every hostile input tried must be *handled* (a recorded skip, a clear error or a correct result),
none may *crash* the run, no article may be *lost* and nothing may be stored or mailed twice.

Each scenario module builds its own servers on 127.0.0.1 (HTTP, SMTP), runs the real pipeline
and judges every case; the pytest suite (tests/faults/) runs the same scenarios and asserts the
same judgements case by case, so the command and the suite cannot drift apart. The selftest uses
neither ./newswatch.toml nor NEWSWATCH_* variables: it measures the code, not a deployment.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import Settings, load_settings


@dataclass
class CaseResult:
    """One hostile input and what became of it."""

    scenario: str
    case: str
    handled: bool
    """The outcome is the expected one: a recorded skip, a clear error, or the right result."""
    crashed: bool = False
    """An exception escaped newswatch (or its process died when nobody killed it)."""
    lost: int = 0
    """Articles (or alerts) owed but neither stored/sent nor recorded as a skip or an error."""
    duplicate_documents: int = 0
    duplicate_emails: int = 0
    detail: str = ""


@dataclass
class Figures:
    inputs_tried: int = 0
    handled: int = 0
    crashed: int = 0
    articles_lost: int = 0
    duplicate_documents: int = 0
    duplicate_emails: int = 0

    def add(self, result: CaseResult) -> None:
        self.inputs_tried += 1
        self.handled += int(result.handled and not result.crashed)
        self.crashed += int(result.crashed)
        self.articles_lost += result.lost
        self.duplicate_documents += result.duplicate_documents
        self.duplicate_emails += result.duplicate_emails

    @property
    def clean(self) -> bool:
        return (self.handled == self.inputs_tried and self.crashed == 0 and self.articles_lost == 0
                and self.duplicate_documents == 0 and self.duplicate_emails == 0)


@dataclass
class Report:
    figures: Figures = field(default_factory=Figures)
    scenarios: dict[str, Figures] = field(default_factory=dict)
    failures: list[CaseResult] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    """Scenarios that could not run here (a missing corpus or package), with the reason."""
    seconds: float = 0.0

    def add(self, results: Iterable[CaseResult]) -> None:
        for result in results:
            self.figures.add(result)
            self.scenarios.setdefault(result.scenario, Figures()).add(result)
            if not result.handled or result.crashed or result.lost or result.duplicate_documents \
                    or result.duplicate_emails:
                self.failures.append(result)

    @property
    def ok(self) -> bool:
        return self.figures.clean and not self.unavailable

    def json_line(self) -> str:
        data: dict[str, Any] = asdict(self.figures)
        data["scenarios"] = {name: asdict(figures) for name, figures in self.scenarios.items()}
        data["unavailable"] = self.unavailable
        data["failures"] = [f"{r.scenario}/{r.case}: {r.detail}" for r in self.failures]
        data["seconds"] = round(self.seconds, 1)
        data["ok"] = self.ok
        return json.dumps(data, ensure_ascii=False, sort_keys=False)


class ScenarioUnavailable(Exception):
    """A scenario cannot run on this machine (no corpus, no SMTP server package)."""


# --------------------------------------------------------------------------- settings


def scenario_settings(data_dir: Path, **values: Any) -> Settings:
    """Settings for one scenario: its own data dir and 127.0.0.1 allowed through the SSRF guard
    (the explicit opt-in the scenarios need, since every server they start is local)."""
    merged: dict[str, Any] = {"data_dir": str(data_dir), "network": {"allow_hosts": ["127.0.0.1"]}}
    merged.update(values)
    return load_settings(isolated=True, **merged)


def scrubbed_environment() -> dict[str, str]:
    """The environment for a child process, without NEWSWATCH_* (a child must see only its file)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSWATCH_")}


# --------------------------------------------------------------------------- running

Scenario = Callable[[Path], list[CaseResult]]


def scenarios(corpus: Path | None = None, elasticsearch: str | None = None) -> dict[str, Scenario]:
    """The registry: name -> function(work_dir) -> case results. Imported lazily, in run order.
    "replays-es" is there only when an Elasticsearch node's URL is given: it writes to that node."""
    from pipeline.selftest import badconfig, hostile, outages
    from pipeline.selftest import corpus as corpus_module

    found: dict[str, Scenario] = {
        "feeds": lambda work: corpus_module.run(work, corpus),
        "pages": hostile.run_pages,
        "ssrf": hostile.run_ssrf,
        "outages": outages.run_outages,
        "replays": outages.run_replays,
        "config": badconfig.run,
    }
    if elasticsearch:
        found["replays-es"] = lambda work: outages.run_replays_elasticsearch(work, elasticsearch)
    return found


def run(work_dir: Path, only: Iterable[str] = (), corpus: Path | None = None,
        progress: Callable[[str], None] | None = None, elasticsearch: str | None = None) -> Report:
    report = Report()
    started = time.monotonic()
    chosen = set(only)
    for name, scenario in scenarios(corpus, elasticsearch).items():
        if chosen and name not in chosen:
            continue
        if progress is not None:
            progress(name)
        target = work_dir / name
        target.mkdir(parents=True, exist_ok=True)
        try:
            results = scenario(target)
        except ScenarioUnavailable as exc:
            report.unavailable[name] = str(exc)
            continue
        except Exception as exc:  # the harness itself broke: count it, never hide it
            results = [CaseResult(name, "(scenario)", handled=False, crashed=True,
                                  detail=f"{type(exc).__name__}: {exc}")]
        report.add(results)
    report.seconds = time.monotonic() - started
    return report
