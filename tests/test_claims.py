"""Claim extraction on real snippets (the seed article and the dev texts): each stance in French
and English, the character span, and speaker resolution (descriptions, "selon lui", a
spokesperson for an organisation, inverted subjects, pronouns, a named person who is not
watched). The watchlists hold canonical names only."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import NlpSettings
from pipeline.enrich import Enricher
from pipeline.models import Article, Claim, EntityType, Stance, WatchedEntity

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "eval" / "dev" / "texts" / "seed-fr.txt").read_text(encoding="utf-8")
WATCHLIST = [
    WatchedEntity(id=entity_id, name=name, type=EntityType(kind)) for entity_id, name, kind in (
        ("musk", "Elon Musk", "person"), ("putin", "Vladimir Putin", "person"), ("starlink", "Starlink", "product"),
        ("kremlin", "Kremlin", "organization"), ("pentagon", "Pentagon", "organization"),
        ("wsj", "The Wall Street Journal", "organization"), ("peskov", "Dmitry Peskov", "person"),
        ("kiriyenko", "Sergei Kiriyenko", "person"), ("starmer", "Keir Starmer", "person"),
        ("idf", "Israel Defense Forces", "organization"), ("reuters", "Reuters", "organization"),
        ("nato", "NATO", "organization"), ("sinwar", "Yahya Sinwar", "person"), ("strava", "Strava", "organization"),
        ("heidnik", "Gary Heidnik", "person"), ("prymula", "Roman Prymula", "person"),
    )
]


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(NlpSettings(), WATCHLIST)


def claims(enricher: Enricher, text: str, language: str) -> list[Claim]:
    article = Article(id="a", url="https://example.org/a", item_id="i", feed_url="https://example.org/feed",
                      outlet="test", text=text, language=language)
    return enricher.enrich([article])[0].claims


def claim_with(found: list[Claim], fragment: str) -> Claim:
    matching = [claim for claim in found if fragment in claim.text]
    assert matching, f"no claim contains {fragment!r}: {[claim.text[:60] for claim in found]}"
    return matching[0]


@pytest.fixture(scope="module")
def seed(enricher: Enricher) -> list[Claim]:
    return claims(enricher, SEED, "fr")


@pytest.mark.parametrize(("fragment", "stance", "speaker"), [
    ("Le Wall Street Journal accuse Elon Musk", Stance.accusation, "wsj"),
    ("est accusé de proximité avec le Kremlin par le Le journal Wall Street", Stance.accusation, "wsj"),
    ("Le milliardaire a qualifié ces accusations", Stance.denial, "musk"),  # speaker by description
    ("Elon Musk s’en est vanté", Stance.assertion, "musk"),  # quotation glued to its verb
    ("a réagi un porte-parole du Pentagone", Stance.no_comment, "pentagon"),  # spokesperson for an organisation
    ("Dmitri Peskov, a assuré", Stance.assertion, "peskov"),  # apposition: the person, not the Kremlin
    ("selon lui", Stance.denial, "peskov"),  # "selon lui": the previous speaker
    ("avait publiquement reconnu", Stance.admission, "musk"),
    ("toujours selon le le journal Wall Street", Stance.allegation, "wsj"),  # garbled name as a source
])
def test_seed_claims(seed: list[Claim], fragment: str, stance: Stance, speaker: str) -> None:
    claim = claim_with(seed, fragment)
    assert (claim.stance, claim.speaker_entity) == (stance, speaker)


def test_conditional_mood_is_an_allegation(seed: list[Claim]) -> None:
    claim = claim_with(seed, "Le président russe aurait même demandé")
    assert claim.stance is Stance.allegation
    assert "putin" in claim.about


def test_span_is_the_claim_text(seed: list[Claim]) -> None:
    for claim in seed:
        assert SEED[claim.start:claim.end] == claim.text


def test_narration_is_not_a_claim(seed: list[Claim]) -> None:
    assert not any("Les liens entre StarLink et le Pentagone" in claim.text for claim in seed)


@pytest.mark.parametrize(("text", "fragment", "stance", "speaker"), [
    ("«Les migrants, c’est un besoin», a affirmé M. Peskov.", "a affirmé M. Peskov", Stance.assertion, "peskov"),
    ("Roman Prymula a appelé les Tchèques à rester chez eux. « Là-dessus, notre désaccord est total, "
     "souligne-t-il.", "souligne-t-il", Stance.assertion, "prymula"),  # inverted pronoun, mistagged verb
    ("Le principal intéressé a rejeté toute faute et a fait savoir qu'il ne démissionnerait pas.",
     "a rejeté toute faute", Stance.denial, None),
    ("Plus tôt, ce dernier s'était excusé publiquement devant les députés pour cette réunion.",
     "s'était excusé", Stance.admission, None),
    ("Nike n'a pas commenté la situation à l'heure où nous publions cet article.", "n'a pas commenté",
     Stance.no_comment, None),
    ("Pour Jan Hamáček, cette attitude est méprisante vis-à-vis des milliers de personnes.", "Pour Jan Hamáček",
     Stance.allegation, None),  # "Pour X, …": a view, second-hand
])
def test_french_stances_and_speakers(enricher: Enricher, text: str, fragment: str, stance: Stance,
                                     speaker: str | None) -> None:
    claim = claim_with(claims(enricher, text, "fr"), fragment)
    assert claim.stance is stance
    assert claim.speaker_entity == speaker
    assert claim.speaker


@pytest.mark.parametrize(("text", "fragment", "stance", "speaker"), [
    ("Strava says it will introduce dark mode “later this summer,” with the ability to keep the app dark.",
     "Strava says", Stance.assertion, "strava"),
    ("Sir Keir Starmer has defended accepting gifts from a millionaire Labour donor.", "has defended",
     Stance.denial, "starmer"),
    ("The Israel Defense Forces (IDF) did not respond to requests for comment about any aspect of the attack.",
     "did not respond", Stance.no_comment, "idf"),
    ('"We condemn, in the strongest terms, the attack on a clearly identifiable group of journalists," '
     "Reuters Editor-in-Chief Alessandra Galloni said.", "Galloni said", Stance.accusation, None),
    ("According to Nato, every country in the alliance achieved at least 2% in 2025.", "According to Nato",
     Stance.allegation, "nato"),
    ("Musk acknowledged that he had spoken with the Russian president several times.", "acknowledged",
     Stance.admission, None),
    ("Strava wouldn’t confirm how many of its 125 million members are active users.", "wouldn’t confirm",
     Stance.no_comment, "strava"),
])
def test_english_stances_and_speakers(enricher: Enricher, text: str, fragment: str, stance: Stance,
                                      speaker: str | None) -> None:
    claim = claim_with(claims(enricher, text, "en"), fragment)
    assert claim.stance is stance
    assert claim.speaker_entity == speaker
    assert claim.speaker


def test_named_person_not_watched_speaks_for_themselves(enricher: Enricher) -> None:
    """A named speaker who is not watched is not the watched organisation of their title."""
    found = claims(enricher, '"The attack killed our colleague," Reuters Editor-in-Chief Alessandra Galloni said.',
                   "en")
    claim = claim_with(found, "Galloni said")
    assert claim.speaker_entity is None
    assert "Galloni" in (claim.speaker or "")


def test_pronoun_after_an_unwatched_speaker(enricher: Enricher) -> None:
    text = ('"Choosing him from the stance of Palestine is a good choice," Abu Anas Al Saud told El Saife. '
            '"He\'s the most wanted man to Israel," he said. Yahya Sinwar is thought to be hiding in tunnels.')
    claim = claim_with(claims(enricher, text, "en"), "most wanted man")
    assert claim.speaker_entity is None  # Al Saud, not Sinwar (named in the next sentence)
    assert claim.speaker


def test_description_as_speaker(enricher: Enricher) -> None:
    text = ("Strava on Thursday announced a slew of new features. The company says it is doing so by training "
            "its algorithms on millions of historical activities.")
    claim = claim_with(claims(enricher, text, "en"), "The company says")
    assert claim.speaker_entity == "strava"


def test_hearsay_is_an_allegation(enricher: Enricher) -> None:
    text = "Heidnik is thought to have kept six women in his basement, neighbours said."
    claim = claim_with(claims(enricher, text, "en"), "thought to")
    assert claim.stance is Stance.allegation
