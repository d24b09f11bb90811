"""The parse that every rule reads: one Doc per article, parsed line by line."""

from __future__ import annotations

from pipeline.config import NlpSettings
from pipeline.enrich.nlp import load_model, load_plain_model, parse


def test_a_headline_is_never_glued_to_the_first_sentence() -> None:
    text = ("Transit tax trust rejects county’s South Dade Transitway data\n"
            "The trust spending more than $100 million on a line refused last week to hear answers.\n\n"
            "  Trust members asked for the documents.\n")
    nlp = load_model(NlpSettings().models["en"])
    [doc] = parse(nlp, [text], batch_size=4)
    assert doc.text == text.replace("county’s", "county's")  # one character for one: offsets hold
    assert all("\n" not in sentence.text.strip() for sentence in doc.sents)
    trust = next(token for token in doc if token.text == "trust" and token.i > 8)
    assert trust.head.sent == trust.sent  # its head is in its own line, not in the headline
    assert [(ent.text, text[ent.start_char:ent.end_char]) for ent in doc.ents] == [
        (ent.text, ent.text) for ent in doc.ents]


def test_texts_keep_their_order_and_an_empty_text_is_a_doc() -> None:
    nlp = load_model(NlpSettings().models["fr"])
    texts = ["Première ligne.\nDeuxième ligne.", "", "Une seule ligne."]
    assert [doc.text for doc in parse(nlp, texts, batch_size=2)] == texts


def test_typographic_apostrophes_are_read_as_the_model_learned_them() -> None:
    """The French model tags "L’" as a proper noun and "n’" as a pronoun; "L'" and "n'" it knows."""
    nlp = load_model(NlpSettings().models["fr"])
    text = "L’Agence européenne a déclaré qu’elle n’avait rien vu.\n"
    [doc] = parse(nlp, [text], batch_size=1)
    assert len(doc.text) == len(text)
    assert doc[0].text == "L'" and doc[0].pos_ == "DET"
    assert next(token for token in doc if token.text == "Agence").dep_ == "nsubj"
    # Quotation marks are not apostrophes: ‘…’ around words stay as they are.
    [doc] = parse(nlp, ["Il a dit ‘non’ hier.\n"], batch_size=1)
    assert doc.text == "Il a dit ‘non’ hier.\n"


def test_no_sentence_starts_between_two_capitalised_words() -> None:
    """The published French model cuts "Emmanuel | Macron estime que…" in two; newswatch's copy
    keeps the name in one sentence, with the name as the verb's subject. The baselines of
    ``newswatch eval`` keep the published model."""
    text = "Emmanuel Macron estime que l'hiver sera difficile."
    name = NlpSettings().models["fr"]
    plain = load_plain_model(name)
    assert "newswatch_names_whole" not in plain.pipe_names
    assert len(list(plain(text).sents)) == 2  # the behaviour worked around, as published
    doc = load_model(name)(text)
    assert len(list(doc.sents)) == 1
    assert doc[0].dep_ == "nsubj" and doc[0].head.text == "estime"


def test_a_capital_letter_ending_a_sentence_is_no_initial() -> None:
    """The tokenizers keep "X." whole, as an initial; after a lowercase word and before a word of
    grammar it ends a sentence ("réagi sur X. Pour lui…"). Initials and "M." stay whole."""
    for language, text, sentences in (
        ("fr", "Il a réagi sur X. Pour lui, non. George W. Bush a parlé, a affirmé M. Peskov.",
         ["Il a réagi sur X.", "Pour lui, non.", "George W. Bush a parlé, a affirmé M. Peskov."]),
        ("en", "He posted on X. The post said no. It was written by J. K. Rowling.",
         ["He posted on X.", "The post said no.", "It was written by J. K. Rowling."]),
    ):
        name = NlpSettings().models[language]
        assert [sentence.text for sentence in load_model(name)(text).sents] == sentences
        assert "X." in [token.text for token in load_plain_model(name)(text)]  # as published
