"""Scenario "feeds": feedparser's 251-file corpus served over HTTP, polled into the store.

See pipeline/selftest/corpus.py for what is judged and which Expect lines are in scope. The tests
below the corpus pin each fix the corpus found, on inputs of their own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline import ids
from pipeline.fetch.feeds import entity_risk, parse_feed
from pipeline.fetch.http import FetchError
from pipeline.models import FeedConfig
from pipeline.selftest import corpus
from pipeline.selftest.corpus import CorpusRun, expect_bozo, expect_scope
from tests.conftest import need

CORPUS = corpus.default_corpus()
FEEDS = corpus.load_corpus(CORPUS) if CORPUS.is_dir() else []
FEED = FeedConfig(url="http://feeds.example/rss", name="Example")


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    need(CORPUS.is_dir(), f"the feed corpus at {CORPUS}")
    return corpus.run_corpus(tmp_path_factory.mktemp("corpus"), CORPUS)


def test_the_whole_corpus_is_served() -> None:
    need(CORPUS.is_dir(), f"the feed corpus at {CORPUS}")
    assert len(FEEDS) == 251
    assert Counter(f.path.split("/")[0] for f in FEEDS) == {"wellformed": 150, "encoding": 82, "illformed": 19}
    assert sum(bool(f.headers) for f in FEEDS) == 52
    # The 16 UTF-16/32 files carry their comment in their own encoding: it must still be read.
    wide = [f for f in FEEDS if b"\x00" in f.body[:4]]
    assert len(wide) == 16
    assert all(f.expect.startswith("not bozo and encoding == 'utf-") for f in wide)


@pytest.mark.parametrize("path", [f.path for f in FEEDS])
def test_corpus_feed(corpus_run: CorpusRun, path: str) -> None:
    outcome = corpus_run.by_path()[path]
    detail = outcome.describe()
    assert outcome.crashed is None, detail
    assert outcome.recorded_illformed == outcome.expected_illformed, detail
    assert outcome.lost == [], detail
    assert outcome.duplicates == 0, detail
    assert outcome.unicode == [], detail
    assert outcome.decoding is None, detail
    assert outcome.expect_verdict != "disagrees", detail
    assert outcome.handled


def test_expect_scope_keeps_its_size(corpus_run: CorpusRun) -> None:
    """The scope is documented with its numbers; a change in the harness that shrinks it must show."""
    verdicts = Counter(o.expect_verdict for o in corpus_run.outcomes)
    assert verdicts["agrees (stored)"] >= 34  # 11 before entries with no link but text were read from the feed
    assert verdicts["agrees (stored)"] + verdicts["agrees (mapped: entry has no link nor text, recorded skip)"] >= 44
    assert verdicts["disagrees"] == 0
    assert sum(o.stored for o in corpus_run.outcomes) >= 52


@pytest.mark.parametrize(
    ("expect", "in_scope"),
    [
        ("not bozo and entries[0]['title'] == 'Example Atom'", True),
        ("not bozo and entries[0]['content'][0]['value'] == '<p>x</p>'", True),
        ("not bozo and entries[0].summary == 'x'", True),
        ("not bozo and ord(entries[0]['description']) == 8230", True),
        ("not bozo and not entries[0].has_key('link')", True),
        ("entries[0]['link'] == entries[1]['link'] == 'http://example.com/'", True),
        ("not bozo and entries[0]['published_parsed'] == (2010, 1, 1, 19, 48, 21, 4, 1, 0)", True),
        ("not bozo and feed['title'] == 'Example'", False),
        ("not bozo and encoding == 'utf-8'", False),
        ("not bozo and entries[0]['title_detail']['type'] == 'text/plain'", False),
        ("not bozo and entries[0]['summary_detail']['base'] == 'http://example.com/'", False),
        ("not bozo and entries[0]['author_detail']['name'] == 'x'", False),
        ("entries[0]['where']['type'] == 'Point'", False),
        ("bozo and isinstance(bozo_exception, feedparser.CharacterEncodingOverride)", False),
    ],
)
def test_expect_scope(expect: str, in_scope: bool) -> None:
    assert (expect_scope(expect) is None) is in_scope


def test_expect_bozo_reads_only_a_top_level_claim() -> None:
    assert expect_bozo("bozo") is True
    assert expect_bozo("not bozo and entries[0]['title'] == 'x'") is False
    assert expect_bozo("entries[0].link == 'x'") is None
    assert expect_bozo("1") is None


# --------------------------------------------------------------------------- the fixes


def _rss(item: str, prolog: str = "") -> bytes:
    return (prolog + f'<rss version="2.0"><channel><title>t</title><item>{item}</item></channel></rss>').encode()


def test_a_feed_without_content_type_is_read_as_xml_not_latin1() -> None:
    """feedparser assumes ISO-8859-1 when response headers lack a Content-Type: mojibake."""
    body = _rss("<title>Café « crème » — 東京</title><link>http://feeds.example/1</link>")
    parsed = parse_feed(body, FEED, url=FEED.url, content_type=None, limit=10)
    assert parsed.items[0].title == "Café « crème » — 東京"
    assert parsed.illformed is None


def test_an_undeclared_legacy_encoding_is_detected_and_recorded() -> None:
    """Detection is statistical: it needs a paragraph, as any real feed item has (a title alone is
    ambiguous between KOI8-R and windows-1251)."""
    title = "Как пережить новогоднюю ночь"
    text = ("Новогодние праздники приближаются, и многие уже думают о том, как провести эту ночь. "
            "Врачи советуют не переедать, больше двигаться и не забывать о сне. Психологи напоминают, "
            "что главное в празднике - общение с близкими, а не количество блюд на столе.")
    body = _rss(f"<title>{title}</title><link>http://feeds.example/1</link>"
                f"<description>{text}</description>").decode().encode("koi8_r")
    parsed = parse_feed(body, FEED, url=FEED.url, content_type="application/rss+xml", limit=10)
    assert parsed.items[0].title == title
    assert parsed.illformed is not None and "koi8" in parsed.illformed


def test_harmless_entity_declarations_are_accepted() -> None:
    body = _rss("<title>A&nbsp;B &co;</title><link>http://feeds.example/1</link>",
                '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n<!ENTITY co "Example Co">\n'
                '<!ENTITY % HTMLlat1 PUBLIC "-//W3C//ENTITIES Latin 1//EN" "http://www.w3.org/xhtml-lat1.ent">\n]>\n')
    assert entity_risk(body) is None
    parsed = parse_feed(body, FEED, url=FEED.url, content_type="application/rss+xml", limit=10)
    assert parsed.items[0].title == "A\xa0B Example Co"


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE r [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # on one line
        '<!DOCTYPE r [\n<!ENTITY % p "<!ENTITY a \'x\'>">\n%p;\n]>',  # parameter entity with a body
        "<!DOCTYPE r [\n<!ENTITY a 'x' junk>\n]>",  # not understood: refused
        '<!-- <x> -->\n<!DOCTYPE r [\n<!ENTITY b "&c;&c;">\n]>',  # a comment cannot end the prolog early
    ],
)
def test_entity_bombs_are_refused_whatever_their_shape(prolog: str) -> None:
    body = _rss("<title>&b;</title><link>http://feeds.example/1</link>", prolog)
    assert entity_risk(body) is not None
    with pytest.raises(FetchError) as caught:
        parse_feed(body, FEED, url=FEED.url, content_type=None, limit=10)
    assert caught.value.kind == "xml_entities" and caught.value.terminal


def test_entities_inside_the_document_are_not_declarations() -> None:
    body = _rss("<title>XML</title><description><![CDATA[write <!ENTITY a '&b;'> in a DTD]]></description>"
                "<link>http://feeds.example/1</link>")
    assert entity_risk(body) is None


def test_the_alternate_link_wins_over_an_enclosure() -> None:
    body = (b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>t</title>'
            b'<link rel="alternate" type="text/html">http://feeds.example/article</link>'
            b'<link rel="enclosure" type="audio/mpeg">http://feeds.example/podcast.mp3</link></entry></feed>')
    parsed = parse_feed(body, FEED, url=FEED.url, content_type="application/atom+xml", limit=10)
    assert [item.link for item in parsed.items] == ["http://feeds.example/article"]


def test_an_empty_response_is_not_a_feed() -> None:
    with pytest.raises(FetchError) as caught:
        parse_feed(b"", FEED, url=FEED.url, content_type="application/rss+xml", limit=10)
    assert caught.value.kind == "malformed_feed"


def test_entries_without_links_are_counted_not_called_illformed() -> None:
    body = _rss("<title>no link</title>")
    parsed = parse_feed(body, FEED, url=FEED.url, content_type="application/rss+xml", limit=10)
    assert parsed.items == [] and parsed.skipped == 1 and parsed.illformed is None


@pytest.mark.parametrize("item", [
    '<title>t</title><guid isPermaLink="false">b-1</guid><description>A brief.</description>',
    "<title>t</title><description>A brief without a guid.</description>",
    # A guid that looks like a URL but is said not to be a permalink is no page to fetch.
    '<guid isPermaLink="false">http://feeds.example/internal/7</guid><description>A brief.</description>',
])
def test_an_entry_without_a_link_but_with_text_is_read_from_the_feed(item: str) -> None:
    first = parse_feed(_rss(item), FEED, url=FEED.url, content_type="application/rss+xml", limit=10)
    again = parse_feed(_rss(item), FEED, url=FEED.url, content_type="application/rss+xml", limit=10)
    [brief] = first.items
    assert first.skipped == 0 and brief.link.startswith("urn:newswatch:entry:") and not ids.is_web(brief.link)
    assert [item.id for item in again.items] == [brief.id]  # the same entry, the same address
    other = parse_feed(_rss(item), FEED.model_copy(update={"url": "http://other.example/rss"}),
                       url="http://other.example/rss", content_type="application/rss+xml", limit=10)
    assert other.items[0].id != brief.id  # a guid is unique within its feed only


def test_content_location_is_the_base_of_relative_links() -> None:
    body = _rss('<title>t</title><link>/a/1</link><description>&lt;a href="rel"&gt;x&lt;/a&gt;</description>')
    parsed = parse_feed(body, FEED, url=FEED.url, content_type="application/rss+xml", limit=10,
                        content_location="http://mirror.example/feeds/")
    assert parsed.items[0].link == "http://mirror.example/a/1"
    assert 'href="http://mirror.example/feeds/rel"' in (parsed.items[0].summary or "")


def test_corpus_comments_are_read_in_every_encoding() -> None:
    text = "<!--\nHeader: Content-type: text/xml\nExpect: not bozo\n-->\n<rss/>"
    for codec in ("utf-16", "utf-16-le", "utf-32-be", "utf-8"):
        assert "Expect: not bozo" in corpus.comment_text(text.encode(codec))


def test_a_missing_corpus_is_reported_not_passed(tmp_path: Path) -> None:
    from pipeline.selftest import ScenarioUnavailable

    with pytest.raises(ScenarioUnavailable):
        corpus.load_corpus(tmp_path / "nowhere")
