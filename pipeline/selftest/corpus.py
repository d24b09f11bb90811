"""Scenario "feeds": feedparser's own test corpus (251 files) served over real HTTP and polled.

Each corpus file opens with a comment: ``Description:``, ``Expect:`` (a Python expression over
feedparser's result) and maybe ``Header:`` lines. The files are served from 127.0.0.1 at the path
feedparser's own runner uses (``/tests/<path>``), their Header lines sent as real HTTP headers, and
no Content-Type when a file names none. Each feed is polled into its own store (two files sharing
an item link must not de-duplicate into each other), twice (the second poll must add nothing).

What is judged, per file:

* no exception escapes the poll;
* the feed is recorded as ill-formed (``illformed_feed``, or a refusal such as ``malformed_feed``)
  exactly when it is: the truth is the Expect line's own ``bozo`` / ``not bozo`` claim when it makes
  one, else feedparser's verdict on the same bytes and headers;
* nothing is lost: every entry with an http(s) link is stored, so is every entry without one that
  carries text (read from the feed, at its ``urn:newswatch:entry:`` address), and every entry with
  neither is counted in a recorded ``entry_without_link`` skip; the second poll stores nothing new;
* every text newswatch keeps (title, summary, content, authors) is valid Unicode (no lone
  surrogate, no control character XML forbids, no U+FFFD in a well-formed feed), for stored items
  and for link-less entries alike (those are mapped with newswatch's own functions, see below);
  where the Expect line names the true encoding of an undeclared feed (the chardet cases), the
  title must be that encoding's decoding of the title's bytes;
* the Expect line, where it concerns what newswatch stores.

**Which Expect lines are in scope, and how they are compared.** newswatch keeps, per entry, a
title, a link, one date (published, else updated), a summary and a content; it keeps nothing of the
feed element itself (its title, author, language... come from the configuration) nor of tags,
enclosures, authors' details, xml:base or xml:lang. So an Expect line is in scope when it reads
``entries[...]`` and every such access is one of ``title``, ``title_detail['value']``, ``link``,
``summary``, ``description``, ``summary_detail['value']``, ``content[i]['value']``,
``published``, ``published_parsed`` or ``has_key(<one of these>)``, and it names nothing else but
``bozo``, ``ord`` and ``len``. Feed-level lines (``feed[...]``, ``encoding``, ``version``), and
lines on other entry keys, are out of scope and counted as such. An in-scope line is evaluated,
unchanged, against a view of what newswatch stored: ``entries[i]`` is the stored item of the i-th
entry (found by its link, or its address when it has none), ``bozo`` is whether newswatch recorded
the feed as ill-formed. Two adaptations, both explicit: a date string (``published``) equals the
stored instant when it denotes that instant (newswatch stores an aware datetime, not the string),
and the address of feedparser's test server (``http://127.0.0.1:8097``) is replaced by the local
server's. An entry with neither link nor text is not stored, so a line about it cannot be checked
in the store; it is then evaluated against the same view built from what newswatch's own parsing
functions keep of that entry (``parse_document`` + ``entry_fields``, the code ``parse_feed`` runs)
and counted as "mapped" rather than "stored". The line is also evaluated against feedparser's
result, for the record: feedparser 6.0.14 fails a few lines itself (the two link-priority cases,
which newswatch gets right by preferring the rel="alternate" link; two iTunes flags; the eight
chardet cases, which need the chardet package that newswatch replaces with charset-normalizer).

Figures of the last run (feedparser 6.0.14): 251 files, 44 Expect lines in scope, 34 of them
checked on stored items (23 on entries with no link, read from the feed) and 10 on entries with
neither link nor text (mapped), 207 out of scope; 0 disagree.
"""

from __future__ import annotations

import ast
import calendar
import codecs
import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
from feedparser.datetimes import _parse_date

from pipeline import ids
from pipeline.corpora import shared_dir
from pipeline.fetch.feeds import entry_address, entry_fields, entry_link, parse_document
from pipeline.fetch.http import FetchError
from pipeline.models import FeedConfig, Stage
from pipeline.runner import Pipeline
from pipeline.sample.server import SiteServer
from pipeline.selftest import CaseResult, ScenarioUnavailable, scenario_settings

FEEDPARSER_TEST_HOST = "http://127.0.0.1:8097"
ILLFORMED_KINDS = frozenset({"illformed_feed", "malformed_feed", "xml_entities"})


def default_corpus() -> Path:
    """``../shared/corpora/feeds/feedparser`` beside the source tree (shared/README.md)."""
    return shared_dir() / "corpora" / "feeds" / "feedparser"


# --------------------------------------------------------------------------- reading the corpus

_BOM_CODECS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
               (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NUL_PATTERNS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<", "utf-16-be"),
                 (b"<\x00", "utf-16-le"))
_FIELD = re.compile(r"^\s*(\w+):\s*(.*?)\s*$")


def comment_text(body: bytes) -> str:
    """The file as text, enough to read its opening comment, whatever its encoding (16 files are
    UTF-16/32 with or without a BOM, the others ASCII-compatible)."""
    for bom, codec in _BOM_CODECS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    for pattern, codec in _NUL_PATTERNS:
        if body.startswith(pattern):
            return body.decode(codec, errors="replace")
    return body.decode("latin-1")


@dataclass(frozen=True)
class CorpusFeed:
    path: str
    """Relative to the corpus root, e.g. ``wellformed/rss/item_pubDate.xml``."""
    body: bytes
    description: str
    expect: str
    headers: tuple[tuple[str, str], ...]
    """The ``Header:`` lines, as (name, value), sent as they are written."""

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def load_corpus(root: Path) -> list[CorpusFeed]:
    if not root.is_dir():
        raise ScenarioUnavailable(f"feed corpus not found at {root} (pass --corpus)")
    feeds = []
    for path in sorted(root.rglob("*.xml")):
        body = path.read_bytes()
        match = re.search(r"<!--(.*?)-->", comment_text(body), re.DOTALL)
        fields: dict[str, str] = {}
        headers: list[tuple[str, str]] = []
        for line in (match.group(1) if match else "").splitlines():
            found = _FIELD.match(line)
            if not found:
                continue
            key, value = found.groups()
            if key == "Header":
                name, _, header_value = value.partition(":")
                headers.append((name.strip(), header_value.strip()))
            else:
                fields.setdefault(key, value)
        feeds.append(CorpusFeed(str(path.relative_to(root)), body, fields.get("Description", ""),
                                fields.get("Expect", "1"), tuple(headers)))
    return feeds


# --------------------------------------------------------------------------- Expect scope

_SCALAR_KEYS = {"title", "link", "summary", "description", "published", "published_parsed"}
_DETAIL_KEYS = {"title_detail", "summary_detail"}
_ALLOWED_NAMES = {"entries", "bozo", "ord", "len"}


def _chains(tree: ast.AST) -> Iterator[tuple[object, ...]]:
    """Each access rooted at ``entries[i]``, as the tuple of keys/attributes/calls that follow."""
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "entries"):
            continue
        chain: list[object] = []
        current: ast.AST = node
        while True:
            parent = parents.get(current)
            if isinstance(parent, ast.Subscript) and parent.value is current:
                chain.append(parent.slice.value if isinstance(parent.slice, ast.Constant) else ast.dump(parent.slice))
            elif isinstance(parent, ast.Attribute) and parent.value is current:
                chain.append(("attr", parent.attr))
            elif isinstance(parent, ast.Call) and parent.func is current:
                chain.append(("call", tuple(a.value if isinstance(a, ast.Constant) else None for a in parent.args)))
            else:
                break
            current = parent
        yield tuple(chain)


def _chain_in_scope(chain: tuple[object, ...]) -> bool:
    keys = [c[1] if isinstance(c, tuple) and c[0] == "attr" else c for c in chain]
    if not keys:
        return False
    head = keys[0]
    if head in _SCALAR_KEYS:
        return True
    if head in _DETAIL_KEYS:
        return keys[1:2] == ["value"]
    if head == "content":
        return len(keys) >= 3 and isinstance(keys[1], int) and keys[2] == "value"
    if head == "has_key" and len(chain) > 1 and isinstance(chain[1], tuple) and chain[1][0] == "call":
        return all(arg in _SCALAR_KEYS | {"content"} for arg in chain[1][1])
    return False


def expect_scope(expect: str) -> str | None:
    """None when the Expect line is in scope, else why not."""
    try:
        tree = ast.parse(expect, mode="eval")
    except SyntaxError:
        return "not a Python expression"
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    chains = list(_chains(tree))
    if not chains:
        return "no entry field (feed-level or parser-level line)"
    if names - _ALLOWED_NAMES:
        return f"names {sorted(names - _ALLOWED_NAMES)}, which newswatch does not store"
    outside = [chain for chain in chains if not _chain_in_scope(chain)]
    if outside:
        return f"entry keys newswatch does not store: {outside[0]}"
    return None


def expect_bozo(expect: str) -> bool | None:
    """The line's own claim on well-formedness: a top-level ``bozo`` or ``not bozo`` conjunct."""
    try:
        tree = ast.parse(expect, mode="eval").body
    except SyntaxError:
        return None
    terms = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    for term in terms:
        if isinstance(term, ast.Name) and term.id == "bozo":
            return True
        if isinstance(term, ast.UnaryOp) and isinstance(term.op, ast.Not) and isinstance(term.operand, ast.Name) \
                and term.operand.id == "bozo":
            return False
    return None


# --------------------------------------------------------------------------- the view


class Entry(dict):
    """A feedparser-like entry (item and attribute access, ``has_key``) over what newswatch kept."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def has_key(self, key: str) -> bool:
        return key in self


class StoredInstant:
    """A stored publication date compared with a date string of the Expect line: equal when the
    string denotes the same instant (feedparser's own date parser reads it)."""

    def __init__(self, when: datetime) -> None:
        self.when = when

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            parsed = _parse_date(other)
            return parsed is not None and datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC) == self.when
        return isinstance(other, StoredInstant) and other.when == self.when

    def __hash__(self) -> int:
        return hash(self.when)

    def __repr__(self) -> str:
        return f"StoredInstant({self.when.isoformat()})"


def entry_view(fields: dict[str, Any], link: str | None) -> Entry:
    view = Entry()
    if fields.get("title") is not None:
        view["title"] = fields["title"]
        view["title_detail"] = {"value": fields["title"]}
    if link:
        view["link"] = link
    if fields.get("summary") is not None:
        view["summary"] = view["description"] = fields["summary"]
        view["summary_detail"] = {"value": fields["summary"]}
    if fields.get("content") is not None:
        view["content"] = [{"value": fields["content"]}]
    published = fields.get("published")
    if published is not None:
        view["published"] = StoredInstant(published)
        view["published_parsed"] = published.utctimetuple()
    return view


def evaluate(expect: str, entries: list[Entry], bozo: bool) -> bool | None:
    """The Expect line over a view; None when it reads an entry key the view does not have."""
    names = {"entries": entries, "bozo": bozo}
    try:
        return bool(eval(expect, {"__builtins__": {"ord": ord, "len": len}}, names))
    except (KeyError, IndexError, AttributeError, TypeError):
        return None


# --------------------------------------------------------------------------- text checks

_FORBIDDEN_CONTROLS = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}


def unicode_problems(text: str, *, allow_replacement: bool) -> list[str]:
    problems = []
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        problems.append("lone surrogate")
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if ch in _FORBIDDEN_CONTROLS})
    if bad:
        problems.append(f"forbidden characters {', '.join(bad)}")
    if not allow_replacement and "\ufffd" in text:
        problems.append("U+FFFD (undecodable bytes) in a well-formed feed")
    return problems


_ENCODING_CLAIM = re.compile(r"encoding\s*==\s*'([^']+)'")
_RAW_TITLE = re.compile(rb"<(?:item|entry)\b.*?<title>(.*?)</title>", re.DOTALL)


def true_title(feed: CorpusFeed) -> str | None:
    """The first entry's title decoded with the encoding the Expect line names, for the feeds that
    declare no encoding (the chardet cases): what a correct decoding must give."""
    claim = _ENCODING_CLAIM.search(feed.expect)
    if not claim or not feed.path.startswith("illformed/chardet/"):
        return None
    raw = _RAW_TITLE.search(feed.body)
    if raw is None:
        return None
    return html.unescape(raw.group(1).decode(claim.group(1))).strip() or None


# --------------------------------------------------------------------------- one feed


@dataclass
class FeedOutcome:
    feed: CorpusFeed
    crashed: str | None = None
    recorded: list[str] = field(default_factory=list)
    """Kinds of the feed-stage errors recorded."""
    expected_illformed: bool = False
    recorded_illformed: bool = False
    entries: int = 0
    linked: int = 0
    stored: int = 0
    lost: list[str] = field(default_factory=list)
    skipped_recorded: int = 0
    duplicates: int = 0
    unicode: list[str] = field(default_factory=list)
    scope: str | None = "not evaluated"
    """None: the Expect line is in scope; else why it is not."""
    agrees_stored: bool | None = None
    agrees_mapped: bool | None = None
    feedparser_agrees: bool | None = None
    decoding: str | None = None
    """A wrong decoding of an undeclared feed's title, when there is one."""

    @property
    def expect_verdict(self) -> str:
        if self.scope is not None:
            return "out of scope"
        if self.agrees_stored is True:
            return "agrees (stored)"
        if self.agrees_stored is None and self.agrees_mapped is True:
            return "agrees (mapped: entry has no link nor text, recorded skip)"
        return "disagrees"

    @property
    def handled(self) -> bool:
        return (self.crashed is None and self.expected_illformed == self.recorded_illformed and not self.lost
                and not self.duplicates and not self.unicode and self.decoding is None
                and self.expect_verdict != "disagrees")

    def describe(self) -> str:
        parts = [f"recorded={self.recorded or '-'}", f"illformed expected={self.expected_illformed} "
                 f"recorded={self.recorded_illformed}", f"entries={self.entries} linked={self.linked} "
                 f"stored={self.stored}", f"expect: {self.expect_verdict}"]
        for label, value in (("crashed", self.crashed), ("lost", self.lost), ("duplicates", self.duplicates),
                             ("unicode", self.unicode), ("decoding", self.decoding)):
            if value:
                parts.append(f"{label}={value}")
        return "; ".join(parts)


def _reference(feed: CorpusFeed, url: str) -> Any:
    """feedparser's own result, as its test runner gets it: headers as served, a file without
    Content-Type read as XML."""
    headers = {name.lower(): value for name, value in feed.headers}
    headers.setdefault("content-type", "application/xml")
    headers["content-location"] = feed.header("Content-Location") or url
    return feedparser.parse(feed.body, response_headers=headers)


def _feedparser_agrees(feed: CorpusFeed, reference: Any) -> bool | None:
    try:
        namespace = dict(reference)
        return bool(eval(feed.expect, {"feedparser": feedparser}, namespace))
    except Exception:
        return None


def check_feed(feed: CorpusFeed, base_url: str, work: Path) -> FeedOutcome:
    url = f"{base_url}/tests/{feed.path}"
    expect = feed.expect.replace(FEEDPARSER_TEST_HOST, base_url)
    outcome = FeedOutcome(feed)
    reference = _reference(feed, url)
    claim = expect_bozo(expect)
    outcome.expected_illformed = bool(reference.bozo) if claim is None else claim
    outcome.feedparser_agrees = _feedparser_agrees(feed, reference) if FEEDPARSER_TEST_HOST not in feed.expect \
        else None
    config = FeedConfig(url=url, name=feed.path)
    settings = scenario_settings(work, feeds=[config.model_dump()])
    try:
        with Pipeline(settings) as pipeline:
            pipeline.poll_feeds()
            store = pipeline.store
            items_after_first = store.count("items")
            pipeline.poll_feeds()  # the same document again: nothing new may be stored
            outcome.duplicates = store.count("items") - items_after_first
            errors = [e for e in store.find_errors(Stage.feed, limit=100) if e.feed_url == url]
            outcome.recorded = sorted({e.kind for e in errors})
            outcome.recorded_illformed = bool(ILLFORMED_KINDS & set(outcome.recorded))
            skip = next((e for e in errors if e.kind == "entry_without_link"), None)
            outcome.skipped_recorded = int(skip.message.split()[0]) if skip else 0
            outcome.stored = store.count("items")
            _judge_entries(outcome, feed, url, store, reference)
            if outcome.scope is None:
                _judge_expect(outcome, feed, expect, url, store)
    except Exception as exc:  # the pipeline must never raise on a feed; a raise is a crash
        outcome.crashed = f"{type(exc).__name__}: {exc}"
    return outcome


def _own_parse(feed: CorpusFeed, url: str) -> Any | None:
    """newswatch's parse of the served response (the same function ``parse_feed`` calls)."""
    try:
        parsed, _ = parse_document(feed.body, url=url, content_type=feed.header("Content-Type"),
                                   content_location=feed.header("Content-Location"),
                                   content_language=feed.header("Content-Language"))
    except FetchError:
        return None
    return parsed


def _judge_entries(outcome: FeedOutcome, feed: CorpusFeed, url: str, store: Any, reference: Any) -> None:
    parsed = _own_parse(feed, url)
    refused = bool({"xml_entities", "malformed_feed"} & set(outcome.recorded))
    entries = parsed.entries if parsed is not None else []
    outcome.entries = len(reference.entries)
    allow_replacement = outcome.expected_illformed
    stored_ids: set[str] = set()
    for index, entry in enumerate(reference.entries):
        candidates = {ids.canonical_url(link) for link in _links(entry)}
        if candidates:
            outcome.linked += 1
        if refused or not candidates:
            continue
        stored = [work.item for item_id in {ids.item_id(link) for link in candidates}
                  if (work := store.get_work(item_id)) is not None]
        if not stored:
            outcome.lost.append(f"entry {index} ({sorted(candidates)[0]})")
        stored_ids.update(item.id for item in stored)
    for item_id in stored_ids:
        work = store.get_work(item_id)
        if work is not None:
            for name, text in _texts(work.item.model_dump()):
                outcome.unicode += [f"stored {name}: {p}" for p in unicode_problems(text,
                                                                                    allow_replacement=allow_replacement)]
    for index, entry in enumerate(entries):
        # An entry that links nowhere but carries text is read from the feed: stored at its address.
        address = entry_address(entry, url)
        if refused or entry_link(entry) is not None or address is None:
            continue
        if store.get_work(ids.item_id(address)) is None:
            outcome.lost.append(f"entry {index} (no link, text in the feed)")
        else:
            stored_ids.add(ids.item_id(address))
    unlinked = sum(1 for entry in entries if entry_address(entry, url) is None)
    if not refused and unlinked != outcome.skipped_recorded:
        outcome.lost.append(f"{unlinked} entries without a link or text, {outcome.skipped_recorded} recorded skipped")
    for index, entry in enumerate(entries):
        for name, text in _texts(entry_fields(entry)):
            outcome.unicode += [f"entry {index} {name}: {p}" for p in unicode_problems(
                text, allow_replacement=allow_replacement)]
    expected_title = true_title(feed)
    if expected_title is not None and entries:
        got = entry_fields(entries[0]).get("title")
        if got != expected_title:
            outcome.decoding = f"title {got!r}, expected {expected_title!r}"
    outcome.scope = expect_scope(feed.expect)


def _links(entry: Any) -> list[str]:
    """Every http(s) URL feedparser gives an entry as its address (independently of newswatch's choice)."""
    found = [entry.get("link")] + [link.get("href") for link in entry.get("links") or []
                                   if isinstance(link, dict) and link.get("rel", "alternate") == "alternate"]
    if entry.get("guidislink"):
        found.append(entry.get("id"))
    return [value.strip() for value in found if isinstance(value, str)
            and value.strip().lower().startswith(("http://", "https://"))]


def _texts(fields: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for name in ("title", "summary", "content", "guid"):
        if isinstance(fields.get(name), str):
            yield name, fields[name]
    for author in fields.get("authors") or []:
        yield "author", author


def _judge_expect(outcome: FeedOutcome, feed: CorpusFeed, expect: str, url: str, store: Any) -> None:
    parsed = _own_parse(feed, url)
    entries = parsed.entries if parsed is not None else []
    stored_view: list[Entry] = []
    mapped_view: list[Entry] = []
    for entry in entries:
        link, address = entry_link(entry), entry_address(entry, url)
        fields = entry_fields(entry)
        mapped_view.append(entry_view(fields, ids.canonical_url(link) if link else None))
        work = store.get_work(ids.item_id(address)) if address else None
        # An entry read from its feed has an address, not a link: the view has no "link", as feedparser's.
        stored_view.append(entry_view(work.item.model_dump(), work.item.link if ids.is_web(work.item.link) else None)
                           if work is not None else Entry())
    outcome.agrees_stored = evaluate(expect, stored_view, outcome.recorded_illformed)
    outcome.agrees_mapped = evaluate(expect, mapped_view, outcome.recorded_illformed)


# --------------------------------------------------------------------------- the scenario


@dataclass
class CorpusRun:
    outcomes: list[FeedOutcome]
    seconds: float

    def by_path(self) -> dict[str, FeedOutcome]:
        return {o.feed.path: o for o in self.outcomes}


def serve(server: SiteServer, feeds: list[CorpusFeed]) -> None:
    for feed in feeds:
        headers = dict(feed.headers)
        server.route(f"/tests/{feed.path}", lambda request, body=feed.body, headers=headers: (200, headers, body))


def run_corpus(work: Path, root: Path | None = None) -> CorpusRun:
    feeds = load_corpus(root or default_corpus())
    started = time.monotonic()
    empty = work / "www"
    empty.mkdir(parents=True, exist_ok=True)
    outcomes = []
    with SiteServer(empty) as server:
        serve(server, feeds)
        for index, feed in enumerate(feeds):
            outcomes.append(check_feed(feed, server.url, work / f"feed-{index:03d}"))
    return CorpusRun(outcomes, time.monotonic() - started)


def run(work: Path, root: Path | None = None) -> list[CaseResult]:
    corpus = run_corpus(work, root)
    return [CaseResult("feeds", o.feed.path, handled=o.handled, crashed=o.crashed is not None, lost=len(o.lost),
                       duplicate_documents=o.duplicates, detail=o.describe()) for o in corpus.outcomes]
