"""The parse that every rule reads: one Doc per article, parsed line by line."""

from __future__ import annotations

from pipeline.config import NlpSettings
from pipeline.enrich.nlp import load_model, parse


def test_a_headline_is_never_glued_to_the_first_sentence() -> None:
    text = ("Transit tax trust rejects county’s South Dade Transitway data\n"
            "The trust spending more than $100 million on a line refused last week to hear answers.\n\n"
            "  Trust members asked for the documents.\n")
    nlp = load_model(NlpSettings().models["en"])
    [doc] = parse(nlp, [text], batch_size=4)
    assert doc.text == text
    assert all("\n" not in sentence.text.strip() for sentence in doc.sents)
    trust = next(token for token in doc if token.text == "trust" and token.i > 8)
    assert trust.head.sent == trust.sent  # its head is in its own line, not in the headline
    assert [(ent.text, text[ent.start_char:ent.end_char]) for ent in doc.ents] == [
        (ent.text, ent.text) for ent in doc.ents]


def test_texts_keep_their_order_and_an_empty_text_is_a_doc() -> None:
    nlp = load_model(NlpSettings().models["fr"])
    texts = ["Première ligne.\nDeuxième ligne.", "", "Une seule ligne."]
    assert [doc.text for doc in parse(nlp, texts, batch_size=2)] == texts
