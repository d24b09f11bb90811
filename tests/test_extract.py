"""The extract stage on real pages (shared/corpora/extraction) and on hostile encodings."""

from __future__ import annotations

import json

import pytest

from pipeline.config import ExtractSettings
from pipeline.extract import ExtractError, decode_html, extract_article
from pipeline.models import FeedItem, FetchedPage
from tests.conftest import SHARED

FUNDUS = SHARED / "corpora" / "extraction" / "fundus"
FUNDUS_GOLD = json.loads((FUNDUS / "gold.json").read_text(encoding="utf-8"))


def page_for(body: bytes, url: str = "https://news.example/a", charset: str | None = None) -> FetchedPage:
    return FetchedPage(item_id="i", url=url, final_url=url, status_code=200, content_type="text/html",
                       charset=charset, body=body)


def item_for(url: str = "https://news.example/a", **fields: object) -> FeedItem:
    return FeedItem(id="i", feed_url="https://news.example/rss", feed_name="Example", link=url, **fields)


@pytest.mark.parametrize("name", sorted(FUNDUS_GOLD))
def test_fundus_pages_keep_their_body_and_title(name: str) -> None:
    gold = FUNDUS_GOLD[name]
    url = gold["url"]
    article = extract_article(page_for((FUNDUS / f"{name}.html").read_bytes(), url), item_for(url),
                              ExtractSettings())
    paragraphs = [p for section in gold["body"]["sections"] for p in section["paragraphs"]]
    kept = sum(" ".join(p.split())[:80] in " ".join(article.text.split()) for p in paragraphs)
    assert kept >= 0.85 * len(paragraphs), f"{kept}/{len(paragraphs)} paragraphs kept"
    assert article.title


@pytest.mark.parametrize(
    ("body", "declared", "expected"),
    [
        ("Élysée – « déclaré »".encode(), "utf-8", "Élysée – « déclaré »"),
        ("Élysée – « déclaré »".encode(), "iso-8859-1", "Élysée – « déclaré »"),  # header lies: UTF-8 wins
        ("Élysée déclaré".encode("latin-1"), "utf-8", "Élysée déclaré"),  # header lies the other way
        ("“smart” quotes".encode("cp1252"), None, "“smart” quotes"),
        (b'<meta charset="windows-1251">' + "Москва".encode("cp1251"), None, "Москва"),
        ("\ufeffBOM text".encode("utf-16"), None, "BOM text"),
        # Undeclared and short: windows-1252 when it reads as Western text, else the detector.
        ("<html><body><p>Le président a déclaré à l'Élysée qu'il était prêt.</p></body></html>".encode("latin-1"), None,
         "déclaré à l'Élysée qu'il était prêt"),
        ("<p>Élysée</p>".encode("cp1252"), None, "Élysée"),
        ("<p>Президент заявил, что правительство не согласно.</p>".encode("cp1251"), None, "Президент заявил"),
        ("<p>Příliš žluťoučký kůň úpěl ďábelské ódy.</p>".encode("cp1250"), None, "Příliš žluťoučký kůň"),
        ("<p>Zażółć gęślą jaźń, powiedział minister.</p>".encode("cp1250"), None, "Zażółć gęślą jaźń"),
    ],
)
def test_decode_html_survives_wrong_and_missing_charsets(body: bytes, declared: str | None, expected: str) -> None:
    assert expected in decode_html(body, declared)


def test_page_without_text_falls_back_to_the_feed_content() -> None:
    content = "<p>" + "Le ministre a déclaré que le budget serait voté. " * 5 + "</p>"
    article = extract_article(page_for(b"<html><body><nav>menu</nav></body></html>"),
                              item_for(content=content, title="Budget"), ExtractSettings())
    assert article.text.startswith("Le ministre a déclaré")
    assert article.title == "Budget"


def test_page_and_feed_without_text_is_a_terminal_skip() -> None:
    with pytest.raises(ExtractError) as caught:
        extract_article(page_for(b"<html><body><p>Subscribe!</p></body></html>"), item_for(), ExtractSettings())
    assert caught.value.kind == "no_main_text"


def test_canonical_link_on_the_same_site_gives_the_article_id() -> None:
    body = ("<html><head><link rel='canonical' href='https://news.example/story?utm_source=x'>"
            "<title>T</title></head><body><article><p>" + "Une phrase assez longue pour compter. " * 10
            + "</p></article></body></html>").encode()
    article = extract_article(page_for(body, "https://news.example/story?ref=home"),
                              item_for("https://news.example/story?ref=home"), ExtractSettings())
    assert article.url == "https://news.example/story"
