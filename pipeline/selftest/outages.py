"""Scenarios "outages" and "replays": the mail server failing every way (recipients of one message
included), the process killed with SIGKILL between stages, and the same window processed again and
again.

All of them run the bundled sample site (pipeline/sample) over real HTTP and a real SMTP server,
and judge by the two ledgers: an alert is owed until the server accepted it, and a document is
keyed by a stable id, so the figures that matter are *lost* (owed but never sent or stored) and
*duplicates* (stored or mailed twice, counted by id and by Message-ID).

The kill is real: a child process runs the stages of one cycle with the production code, then
sends itself SIGKILL (no test hook in the pipeline, no clean shutdown, no flush); the next run, in
this process, must finish the work exactly once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.models import AlertStatus, ItemStatus
from pipeline.runner import Pipeline
from pipeline.sample import SITE_DIR, WATCHLIST
from pipeline.sample.server import SiteServer
from pipeline.selftest import CaseResult, scenario_settings, scrubbed_environment
from pipeline.selftest.mail import MailServer
from pipeline.store.base import Store

COUNTED = ("articles", "mentions", "claims", "alerts", "pages", "items")
RECIPIENT = "desk@example.org"


def sample_values(site: SiteServer, mail: MailServer) -> dict[str, Any]:
    return {
        "watchlist": str(WATCHLIST),
        "feeds": [{"url": f"{site.url}/feeds/fr.xml", "name": "Le Veilleur", "language": "fr"},
                  {"url": f"{site.url}/feeds/en.atom", "name": "Northwind Wire", "language": "en"}],
        "rules": [{"id": "watched", "recipients": [RECIPIENT]}],
        "smtp": mail.settings(),
    }


def counts(store: Store) -> dict[str, int]:
    return {kind: store.count(kind) for kind in COUNTED}


def unfinished(store: Store) -> int:
    """Alerts still pending, and work items still owed (pending or fetched) after recovery."""
    from pipeline.models import utcnow

    owed = [w for w in store.due_items(utcnow(), 10_000) if w.status in {ItemStatus.pending, ItemStatus.fetched}]
    return len(store.find_alerts(AlertStatus.pending, limit=10_000)) + len(owed)


def orphans(store: Store) -> int:
    """Items marked done whose article is missing: lost after the fact."""
    lost = 0
    for item_id in store.page_ids():
        work = store.get_work(item_id)
        if work is not None and work.status is ItemStatus.done and (
                work.article_id is None or store.get_article(work.article_id) is None):
            lost += 1
    return lost


# --------------------------------------------------------------------------- SMTP


@dataclass
class SmtpStep:
    name: str
    received: int
    pending: int
    sent: int
    queued: int
    channel_errors: int


@dataclass
class SmtpRun:
    steps: list[SmtpStep] = field(default_factory=list)
    owed: int = 0
    """Alerts queued by the first run: each must be received exactly once in the end."""
    unique_received: int = 0
    duplicates: int = 0
    ledger_sent: int = 0


def run_smtp_flapping(work: Path) -> SmtpRun:
    """Refused, then 4xx, then 4xx in the middle of a batch, then back: five runs, every alert once."""
    run = SmtpRun()
    with SiteServer(SITE_DIR) as site:
        mail = MailServer()  # not started: connection refused
        settings = scenario_settings(work / "data", **sample_values(site, mail))
        try:
            run.steps.append(_step("connection-refused", settings, mail))
            run.owed = run.steps[0].queued
            mail.start()
            mail.mailbox.mode = "4xx"
            run.steps.append(_step("4xx-for-every-message", settings, mail))
            mail.mailbox.mode = "accept"
            mail.mailbox.accept_before_failing = 2
            run.steps.append(_step("4xx-after-two-messages", settings, mail))
            mail.mailbox.accept_before_failing = None
            run.steps.append(_step("back", settings, mail))
            run.steps.append(_step("rerun-after-recovery", settings, mail))
        finally:
            mail.stop()
        run.unique_received = len(set(mail.message_ids()))
        run.duplicates = mail.duplicates()
        with Pipeline(settings) as pipeline:
            run.ledger_sent = len(pipeline.store.find_alerts(AlertStatus.sent, limit=10_000))
    return run


def _step(name: str, settings: Settings, mail: MailServer) -> SmtpStep:
    with Pipeline(settings) as pipeline:
        report = pipeline.run_once()
        pending = len(pipeline.store.find_alerts(AlertStatus.pending, limit=10_000))
        channel_errors = sum(e.count for e in pipeline.store.find_errors(limit=1000)
                             if e.kind == "channel_unavailable")
    return SmtpStep(name, len(mail.messages), pending, report.alerts_sent, report.alerts_queued, channel_errors)


def smtp_cases(run: SmtpRun) -> list[CaseResult]:
    by_name = {step.name: step for step in run.steps}
    owed = run.owed
    refused, all4xx, mid, back, rerun = (by_name.get(n) for n in (
        "connection-refused", "4xx-for-every-message", "4xx-after-two-messages", "back", "rerun-after-recovery"))
    checks = {
        "connection-refused": refused is not None and owed > 0 and refused.received == 0 and refused.pending == owed
        and refused.channel_errors > 0,
        "4xx-for-every-message": all4xx is not None and all4xx.received == 0 and all4xx.pending == owed,
        "4xx-after-two-messages": mid is not None and mid.received == 2 and mid.pending == owed - 2,
        "back": back is not None and back.received == owed and back.pending == 0,
        "rerun-after-recovery": rerun is not None and rerun.received == owed and rerun.sent == 0,
    }
    results = []
    for name, ok in checks.items():
        step = by_name.get(name)
        detail = (f"owed {owed}; received {step.received}, pending {step.pending}, sent this run {step.sent}"
                  if step else "step did not run")
        results.append(CaseResult("outages", f"smtp/{name}", handled=bool(ok), detail=detail))
    results.append(CaseResult(
        "outages", "smtp/every-alert-exactly-once", handled=run.unique_received == owed == run.ledger_sent,
        lost=max(0, owed - run.unique_received), duplicate_emails=run.duplicates,
        detail=f"owed {owed}, received {run.unique_received} distinct, {run.duplicates} duplicates, "
               f"ledger sent {run.ledger_sent}"))
    return results


@dataclass
class RefusalRun:
    owed: int = 0
    """Alerts queued by the first run: each owed once to every recipient the server accepts."""
    first: dict[str, int] = field(default_factory=dict)
    """Messages received per recipient after the first run (the greylisted one refused)."""
    final: dict[str, int] = field(default_factory=dict)
    """The same after greylisting was lifted and two more runs."""
    recorded: dict[str, bool] = field(default_factory=dict)
    """Refused address -> whether its error is terminal, as recorded."""
    duplicates: int = 0


GREYLISTED, MISTYPED = "grey@example.org", "typo@example.org"


def run_smtp_refusals(work: Path) -> RefusalRun:
    """A server that accepts an alert for one recipient, refuses one for good (550) and one for
    now (451, greylisting), then lifts the greylisting: three runs."""
    run = RefusalRun()
    with SiteServer(SITE_DIR) as site, MailServer() as mail:
        values = sample_values(site, mail)
        values["rules"] = [{"id": "watched", "recipients": [RECIPIENT, MISTYPED, GREYLISTED]}]
        settings = scenario_settings(work / "data", **values)
        mail.mailbox.refuse = {MISTYPED: "550 5.1.1 no such user", GREYLISTED: "451 4.7.1 greylisted"}

        def received() -> dict[str, int]:
            targets = [str(message["X-Envelope-To"]) for message in mail.messages]
            return {address: targets.count(address) for address in (RECIPIENT, MISTYPED, GREYLISTED)}

        with Pipeline(settings) as pipeline:
            run.owed = pipeline.run_once().alerts_queued
        run.first = received()
        mail.mailbox.refuse = {MISTYPED: "550 5.1.1 no such user"}
        for _ in range(2):
            with Pipeline(settings) as pipeline:
                pipeline.run_once()
        run.final = received()
        run.duplicates = mail.duplicates()
        with Pipeline(settings) as pipeline:
            run.recorded = {error.url.removeprefix("mailto:"): error.terminal
                            for error in pipeline.store.find_errors(limit=1000)
                            if error.kind == "recipient_refused" and error.url}
    return run


def refusal_cases(run: RefusalRun) -> list[CaseResult]:
    owed = run.owed
    checks = {
        "accepted-recipient-gets-each-alert-once": owed > 0 and run.first.get(RECIPIENT) == owed
        and run.final.get(RECIPIENT) == owed,
        "greylisted-recipient-gets-each-alert-later": run.first.get(GREYLISTED) == 0
        and run.final.get(GREYLISTED) == owed and run.recorded.get(GREYLISTED) is False,
        "mistyped-recipient-recorded-not-retried": run.final.get(MISTYPED) == 0 and run.recorded.get(MISTYPED) is True,
    }
    lost = {"accepted-recipient-gets-each-alert-once": max(0, owed - run.final.get(RECIPIENT, 0)),
            "greylisted-recipient-gets-each-alert-later": max(0, owed - run.final.get(GREYLISTED, 0))}
    detail = f"owed {owed}; first run {run.first}, after recovery {run.final}, recorded {run.recorded}"
    return [CaseResult("outages", f"smtp-recipients/{name}", handled=bool(ok), lost=lost.get(name, 0),
                       duplicate_emails=run.duplicates if name.startswith("accepted") else 0, detail=detail)
            for name, ok in checks.items()]


# --------------------------------------------------------------------------- SIGKILL

CHILD = """\
import os, signal, sys
from pathlib import Path
from pipeline.config import load_settings
from pipeline.runner import Pipeline

pipeline = Pipeline(load_settings(Path(sys.argv[1])))
for stage in sys.argv[2].split(","):
    getattr(pipeline, stage)()
print("stages done", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
KILL_POINTS = {
    "between-store-and-alert": "poll_feeds,fetch_pages,process",
    "between-fetch-and-process": "poll_feeds,fetch_pages",
}


def write_config(path: Path, settings: Settings, site: SiteServer, mail: MailServer) -> None:
    """The TOML file the child reads: the same settings the recovery run uses."""
    lines = [f'data_dir = "{settings.data_dir}"', f'watchlist = "{WATCHLIST}"', "",
             "[network]", 'allow_hosts = ["127.0.0.1"]', "",
             "[smtp]", 'host = "127.0.0.1"', f"port = {mail.port}", "timeout = 5", ""]
    for feed in settings.feeds:
        lines += ["[[feeds]]", f'url = "{feed.url}"', f'name = "{feed.name}"', f'language = "{feed.language}"', ""]
    lines += ["[[rules]]", 'id = "watched"', f'recipients = ["{RECIPIENT}"]', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


@dataclass
class KillRun:
    point: str
    returncode: int | None = None
    output: str = ""
    before: dict[str, int] = field(default_factory=dict)
    pending_after_kill: int = 0
    received_after_kill: int = 0
    after_recovery: dict[str, int] = field(default_factory=dict)
    after_rerun: dict[str, int] = field(default_factory=dict)
    sent_by_recovery: int = 0
    queued: int = 0
    unique_received: int = 0
    duplicates: int = 0
    unfinished: int = 0
    orphans: int = 0

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


def run_kill(work: Path, point: str, timeout: float = 300) -> KillRun:
    run = KillRun(point)
    work.mkdir(parents=True, exist_ok=True)
    with SiteServer(SITE_DIR) as site, MailServer() as mail:
        settings = scenario_settings(work / "data", **sample_values(site, mail))
        config = work / "newswatch.toml"
        write_config(config, settings, site, mail)
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(config), KILL_POINTS[point]], capture_output=True, text=True,
            timeout=timeout, env=scrubbed_environment(), check=False, cwd=work,
        )
        run.returncode = child.returncode
        run.output = (child.stdout + child.stderr)[-2000:]
        with Pipeline(settings) as pipeline:
            run.before = counts(pipeline.store)
            run.pending_after_kill = len(pipeline.store.find_alerts(AlertStatus.pending, limit=10_000))
            run.received_after_kill = len(mail.messages)
            report = pipeline.run_once()
            run.sent_by_recovery = report.alerts_sent
            run.queued = run.before["alerts"] + report.alerts_queued
            run.after_recovery = counts(pipeline.store)
            pipeline.run_once()
            run.after_rerun = counts(pipeline.store)
            run.unfinished = unfinished(pipeline.store)
            run.orphans = orphans(pipeline.store)
        run.unique_received = len(set(mail.message_ids()))
        run.duplicates = mail.duplicates()
    return run


def kill_case(run: KillRun) -> CaseResult:
    state_ok = run.pending_after_kill > 0 if run.point == "between-store-and-alert" else run.before["pages"] > 0
    handled = (run.killed and state_ok and run.received_after_kill == 0 and run.unique_received == run.queued > 0
               and run.after_recovery == run.after_rerun and run.unfinished == 0 and run.orphans == 0)
    return CaseResult(
        "outages", f"sigkill/{run.point}", handled=handled, crashed=not run.killed,
        lost=max(0, run.queued - run.unique_received) + run.unfinished + run.orphans,
        duplicate_emails=run.duplicates,
        duplicate_documents=sum(max(0, run.after_rerun[k] - run.after_recovery[k]) for k in COUNTED),
        detail=f"child exit {run.returncode}; after the kill {run.before}, {run.pending_after_kill} alerts pending; "
               f"recovery sent {run.sent_by_recovery}, received {run.unique_received} distinct of {run.queued} "
               f"queued, {run.duplicates} duplicates; still owed {run.unfinished}; child said: "
               f"{run.output.strip()[-200:]!r}")


def run_outages(work: Path) -> list[CaseResult]:
    results = smtp_cases(run_smtp_flapping(work / "smtp"))
    results += refusal_cases(run_smtp_refusals(work / "smtp-recipients"))
    for point in KILL_POINTS:
        results.append(kill_case(run_kill(work / point, point)))
    return results


# --------------------------------------------------------------------------- replays


def _always_fresh(path: Path, site: SiteServer) -> Any:
    """The feed served without validators, so each run re-reads and re-parses it (no 304 shortcut)."""
    def handler(request: Any) -> tuple[int, dict[str, str], bytes]:
        body = path.read_bytes().replace(b"{{BASE_URL}}", site.url.encode())
        kind = "application/atom+xml" if path.suffix == ".atom" else "application/rss+xml"
        return 200, {"Content-Type": f"{kind}; charset=utf-8"}, body
    return handler


@dataclass
class ReplayRun:
    runs: list[dict[str, int]] = field(default_factory=list)
    reprocessed: list[dict[str, int]] = field(default_factory=list)
    mail_after: list[int] = field(default_factory=list)
    duplicates: int = 0
    unique: int = 0
    feeds_reparsed: list[int] = field(default_factory=list)


def run_replay(work: Path, store: dict[str, Any] | None = None) -> ReplayRun:
    """``store`` overrides the settings of the embedded store (a "store" section)."""
    run = ReplayRun()
    with SiteServer(SITE_DIR) as site, MailServer() as mail:
        for name in ("fr.xml", "en.atom"):
            site.route(f"/feeds/{name}", _always_fresh(SITE_DIR / "feeds" / name, site))
        settings = scenario_settings(work / "data", **sample_values(site, mail), **(store or {}))
        for _ in range(3):
            with Pipeline(settings) as pipeline:
                report = pipeline.run_once()
                run.feeds_reparsed.append(report.feeds - report.feeds_not_modified - report.feeds_failed)
                run.runs.append(counts(pipeline.store))
            run.mail_after.append(len(mail.messages))
        for _ in range(3):
            with Pipeline(settings) as pipeline:
                pipeline.reprocess()
                run.reprocessed.append(counts(pipeline.store))
            run.mail_after.append(len(mail.messages))
        run.duplicates = mail.duplicates()
        run.unique = len(set(mail.message_ids()))
    return run


def replay_cases(run: ReplayRun) -> list[CaseResult]:
    first = run.runs[0] if run.runs else {}

    def growth(snapshots: list[dict[str, int]]) -> int:
        return sum(max(0, snap[k] - first.get(k, 0)) for snap in snapshots for k in COUNTED)

    mails = run.mail_after
    return [
        CaseResult("replays", "run-three-times", handled=bool(first.get("articles")) and all(
            r == first for r in run.runs) and run.feeds_reparsed == [2, 2, 2] and len(set(mails[:3])) == 1,
            duplicate_documents=growth(run.runs),
            detail=f"counts per run {run.runs}; feeds re-parsed {run.feeds_reparsed}; emails after each {mails[:3]}"),
        CaseResult("replays", "reprocess-window-three-times", handled=all(r == first for r in run.reprocessed)
                   and len(set(mails)) == 1, duplicate_documents=growth(run.reprocessed),
                   detail=f"counts per reprocess {run.reprocessed}; emails after each {mails[3:]}"),
        CaseResult("replays", "no-duplicate-email", handled=run.duplicates == 0 and run.unique == (mails[0] if mails
                   else -1), duplicate_emails=run.duplicates,
                   detail=f"{run.unique} distinct messages, {run.duplicates} duplicates"),
    ]


def run_replays(work: Path) -> list[CaseResult]:
    return replay_cases(run_replay(work))


def run_replays_elasticsearch(work: Path, url: str) -> list[CaseResult]:
    """The replays on the user's Elasticsearch node, in indices of a prefix of their own that are
    deleted afterwards: the production backend's idempotence, measured where it runs."""
    from pipeline.store.elasticsearch import ElasticsearchStore

    values = {"store": {"backend": "elasticsearch", "elasticsearch": {
        "hosts": [url], "index_prefix": f"newswatch-selftest-{uuid.uuid4().hex[:12]}"}}}
    try:
        results = replay_cases(run_replay(work, values))
    finally:
        scratch = ElasticsearchStore(scenario_settings(work / "data", **values).store.elasticsearch)
        try:
            scratch.drop()
        finally:
            scratch.close()
    return [replace(result, scenario="replays-es") for result in results]
