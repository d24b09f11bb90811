"""Scenario "config": invalid configuration, watchlist, rule and lexicon files, through the real CLI.

Each case writes one broken file (and whatever valid files it needs), then runs the commands that
load the configuration (``run --once``, ``config check``, ``reprocess``, ``errors``) in a folder of
its own. Every command must exit with code 2, print a message naming the file at fault and the
field (or line) that is wrong, and write nothing: no data directory, no store, no outbox.
tests/test_config.py checks the loader itself; this checks what an operator sees.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.selftest import CaseResult

Kind = Literal["config", "watchlist", "rules", "lexicon"]
COMMANDS = (["run", "--once"], ["config", "check"], ["reprocess"], ["errors"])
GOOD_WATCHLIST = "- {id: musk, name: Elon Musk, type: person}\n- {id: pentagon, name: Pentagon, type: organization}\n"
BASE = 'data_dir = "data"\n'


@dataclass(frozen=True)
class BadConfig:
    name: str
    kind: Kind
    config: str
    """The TOML file (``data_dir = "data"`` is prepended, so that anything written would show)."""
    expected: tuple[str, ...]
    """What the message must contain besides the faulty file's name: the field, or the line."""
    watchlist: str | bytes | None = None
    lexicon: str | None = None
    """The deployment's own English lexicon (``lexicons/en.yaml``, which ``nlp.lexicons`` names)."""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def faulty_file(self) -> str:
        return {"watchlist": "watchlist.yaml", "lexicon": "en.yaml"}.get(self.kind, "newswatch.toml")


WITH_WATCHLIST = 'watchlist = "watchlist.yaml"\n'

CASES = [
    BadConfig("toml-syntax", "config", "poll_interval = \n", ("not valid TOML", "line 2")),
    BadConfig("unknown-key", "config", "pol_interval = 60\n", ("pol_interval", "Extra inputs are not permitted")),
    BadConfig("wrong-type", "config", 'poll_interval = "soon"\n', ("poll_interval",)),
    BadConfig("out-of-range", "config", "[limits]\nmax_redirects = -1\n", ("limits.max_redirects",)),
    BadConfig("unknown-nested-key", "config", "[limits]\ntimeout = 3\n", ("limits.timeout",)),
    BadConfig("allow-list-not-an-address", "config", '[network]\nallow_hosts = ["localhost"]\n',
              ("network.allow_hosts",)),
    BadConfig("feed-without-url", "config", '[[feeds]]\nname = "no url"\n', ("feeds.0.url",)),
    BadConfig("unknown-store-backend", "config", '[store]\nbackend = "mongodb"\n', ("store.backend",)),
    BadConfig("smtp-port-out-of-range", "config", "[smtp]\nport = 70000\n", ("smtp.port",)),
    BadConfig("environment-override", "config", "", ("limits.concurrency", "environment"),
              env={"NEWSWATCH_LIMITS__CONCURRENCY": "0"}),
    BadConfig("watchlist-missing", "watchlist", WITH_WATCHLIST, ("watchlist file not found",)),
    BadConfig("watchlist-invalid-yaml", "watchlist", WITH_WATCHLIST, ("not valid YAML",),
              watchlist="- {id: musk, name: [\n"),
    BadConfig("watchlist-not-a-list", "watchlist", WITH_WATCHLIST, ("a YAML list",), watchlist="musk: Elon\n"),
    BadConfig("watchlist-entry-without-name", "watchlist", WITH_WATCHLIST, ("entry 2", "name"),
              watchlist="- {id: musk, name: Elon Musk, type: person}\n- {id: putin, type: person}\n"),
    BadConfig("watchlist-bad-id", "watchlist", WITH_WATCHLIST, ("entry 1", "id", "^[a-z0-9][a-z0-9_.-]*$"),
              watchlist="- {id: Musk!, name: Elon Musk, type: person}\n"),
    BadConfig("watchlist-bad-type", "watchlist", WITH_WATCHLIST, ("entry 1", "type"),
              watchlist="- {id: musk, name: Elon Musk, type: alien}\n"),
    BadConfig("watchlist-duplicate-id", "watchlist", WITH_WATCHLIST, ("entry 2", "duplicate id"),
              watchlist="- {id: musk, name: Elon Musk, type: person}\n- {id: musk, name: E. Musk, type: person}\n"),
    BadConfig("watchlist-not-utf8", "watchlist", WITH_WATCHLIST, ("not valid YAML",),
              watchlist=b"- {id: musk, name: \xff\xfe Musk, type: person}\n"),
    BadConfig("rule-unknown-entity", "rules", WITH_WATCHLIST + '[[rules]]\nid = "r"\nentities = ["putin"]\n',
              ("rules.0.entities", "putin"), watchlist=GOOD_WATCHLIST),
    BadConfig("rule-bad-recipient", "rules", '[[rules]]\nid = "r"\nrecipients = ["desk at example.org"]\n',
              ("rules.0.recipients",)),
    BadConfig("rule-unknown-stance", "rules", '[[rules]]\nid = "r"\nstances = ["rumour"]\n', ("rules.0.stances",)),
    BadConfig("rule-duplicate-id", "rules", '[[rules]]\nid = "r"\n[[rules]]\nid = "r"\n', ("rules.1.id", "duplicate")),
    BadConfig("rule-language-not-enabled", "rules", '[[rules]]\nid = "r"\nlanguages = ["de"]\n',
              ("rules.0.languages",)),
    BadConfig("rule-bad-id", "rules", '[[rules]]\nid = "Rule One"\n', ("rules.0.id", "^[a-z0-9][a-z0-9_.-]*$")),
    BadConfig("lexicon-unknown-stance", "lexicon", '[nlp]\nlexicons = "lexicons"\n', ("verbs.strong.bellow",),
              lexicon="language: en\nverbs:\n  strong:\n    bellow: shouting\n"),
    BadConfig("lexicon-of-another-language", "lexicon", '[nlp]\nlexicons = "lexicons"\n', ("named for 'en'",),
              lexicon="language: fr\n"),
]


@dataclass
class CommandOutcome:
    command: str
    exit_code: int
    output: str
    written: list[str]
    crashed: str | None = None


def _squash(text: str) -> str:
    """Without whitespace: the console wraps long paths wherever it likes."""
    return "".join(text.split())


@contextmanager
def _cwd(path: Path):  # noqa: ANN202 - a context manager
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_case(case: BadConfig, work: Path) -> list[CommandOutcome]:
    from typer.testing import CliRunner

    from pipeline.cli import app

    outcomes = []
    for command in COMMANDS:
        folder = work / case.name / "-".join(command).strip("-")
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "newswatch.toml"
        config.write_text(BASE + case.config, encoding="utf-8")
        if isinstance(case.watchlist, bytes):
            (folder / "watchlist.yaml").write_bytes(case.watchlist)
        elif case.watchlist is not None:
            (folder / "watchlist.yaml").write_text(case.watchlist, encoding="utf-8")
        if case.lexicon is not None:
            (folder / "lexicons").mkdir(exist_ok=True)
            (folder / "lexicons" / "en.yaml").write_text(case.lexicon, encoding="utf-8")
        before = {p.relative_to(folder) for p in folder.rglob("*")}
        env = {key: None for key in os.environ if key.startswith("NEWSWATCH_")} | dict(case.env)
        runner = CliRunner(env=env)
        with _cwd(folder):  # a default data dir would land here
            result = runner.invoke(app, [*command, "--config", str(config)], catch_exceptions=True)
        after = {p.relative_to(folder) for p in folder.rglob("*")}
        crashed = None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            crashed = f"{type(result.exception).__name__}: {result.exception}"
        outcomes.append(CommandOutcome(" ".join(command), result.exit_code, result.output,
                                       sorted(str(p) for p in after - before), crashed))
    return outcomes


def judge(case: BadConfig, outcome: CommandOutcome) -> str:
    """What is wrong with one command's reaction ("" when it is right)."""
    problems = []
    if outcome.crashed:
        problems.append(f"crashed: {outcome.crashed}")
    if outcome.exit_code != 2:
        problems.append(f"exit code {outcome.exit_code}")
    text = _squash(outcome.output)
    for needed in (case.faulty_file, *case.expected):
        if _squash(needed) not in text:
            problems.append(f"message lacks {needed!r}")
    if outcome.written:
        problems.append(f"wrote {outcome.written}")
    return "; ".join(problems)


def run(work: Path) -> list[CaseResult]:
    results = []
    for case in CASES:
        outcomes = run_case(case, work)
        problems = {o.command: judge(case, o) for o in outcomes}
        bad = {command: problem for command, problem in problems.items() if problem}
        message = next((o.output.strip().splitlines()[-1] for o in outcomes if o.output.strip()), "")
        results.append(CaseResult(
            "config", f"{case.kind}/{case.name}", handled=not bad, crashed=any(o.crashed for o in outcomes),
            detail="; ".join(f"{c}: {p}" for c, p in bad.items()) or f"exit 2, nothing written: {message[:120]}"))
    return results
