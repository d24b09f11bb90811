"""Per-language claim cues, loaded from ``pipeline/lexicons/<lang>.yaml``.

The lexicon is data, not code: adding a language is one YAML file and one spaCy model setting.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from pipeline.enrich.names import name_keys
from pipeline.enrich.textnorm import fold
from pipeline.models import EntityType, Stance, WatchedEntity


class Verbs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    strong: dict[str, Stance] = Field(default_factory=dict)
    weak: dict[str, Stance] = Field(default_factory=dict)


class RoleClass(BaseModel):
    """Common nouns that can stand for an entity of one type ("le milliardaire", "the company").

    Nouns of one class describe the same kind of role, so "le maître du Kremlin" can take up a
    referent first called "le président russe", while "le porte-parole" cannot."""

    model_config = ConfigDict(extra="forbid")
    type: EntityType
    nouns: list[str]
    salient: bool = True
    """Whether a description may take up the most salient entity of the article. Offices that
    many people in one article hold (député, judge, expert) only refer to whoever an apposition
    said holds them."""
    alongside: bool = False
    """Whether a description may take up someone who already holds another kind of role: "le
    principal intéressé" is whoever the article is about, minister or not."""
    named: list[str] = Field(default_factory=list)
    """Words one of which a referent's name holds, when the class is a kind of organisation
    that names say they are: "the military" is an armed force ("Israel Defense Forces"), never
    whichever organisation the article named last."""


class Genders(BaseModel):
    """Words that say a person is a woman or a man."""

    model_config = ConfigDict(extra="forbid")
    feminine: list[str] = Field(default_factory=list)
    masculine: list[str] = Field(default_factory=list)


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: str
    verbs: Verbs = Field(default_factory=Verbs)
    phrases: dict[Stance, list[str]] = Field(default_factory=dict)
    attribution: list[str] = Field(default_factory=list)
    hearsay: list[str] = Field(default_factory=list)
    openers: list[str] = Field(default_factory=list)
    """Prepositions that give a view when they open a sentence: "Pour X, …", "For X, …"."""
    view_openers: list[str] = Field(default_factory=list)
    """The same with the source inside a phrase, as regular expressions over folded text with a
    ``source`` group: "In Elon Musk's view, …", "Aux yeux d'Elon Musk, …"."""
    charges: list[str] = Field(default_factory=list)
    """Words of wrongdoing: stated by the speaker without hedging, they make an accusation."""
    conditional_mood: bool = False
    conditional_auxiliaries: list[str] = Field(default_factory=list)
    """Forms of the auxiliaries that can only be conditional ("seraient", "aurait"): small models
    tag some of them indicative."""
    reordered_acronyms: bool = False
    """Whether the language writes the acronym of a name translated into it in its own word order
    (French OTAN for NATO, UE for EU, FMI for IMF), so that an acronym whose letters a watched
    name's acronym holds in another order is that name's. Not in English, where "CBC" is not the
    Bristol Crown Court nor "GPT" The Points Guy."""
    negations: list[str] = Field(default_factory=list)
    pronouns: list[str] = Field(default_factory=list)
    shared_pronouns: list[str] = Field(default_factory=list)
    """Pronouns that take up an organisation as well as a person ("elle" for "l'AG")."""
    locatives: list[str] = Field(default_factory=list)
    """Prepositions of place: a watched place after one is a claim's setting, not its topic."""
    source_places: list[str] = Field(default_factory=list)
    """Prepositions by which an impersonal subject speaks from an organisation ("indique-t-on à
    l'Élysée")."""
    source_sides: list[str] = Field(default_factory=list)
    """Nouns of a side, by which an impersonal subject speaks for whom they name ("Du côté de
    Strava, on assure…")."""
    narrators: list[str] = Field(default_factory=list)
    """First-person pronouns: outside a quotation they are the writer ("I say", "When I suggest"),
    whose words are narration, not a claim."""
    relatives: list[str] = Field(default_factory=list)
    """Relative pronouns: after a name and a comma they open a relative clause ("Elon Musk, who
    bought Twitter, …"), and they close an apposition ("Hamas, the militant group that…")."""
    agentless: list[str] = Field(default_factory=list)
    """Passive reportative constructions with no agent ("is said to", "est soupçonné de"): the
    speaker is unnamed sources, not the grammatical subject (who is what is reported on)."""
    question_openers: list[str] = Field(default_factory=list)
    """Words that open the question put to a speaker ("Asked whether…, he said"): what that
    clause names is not what the claim is about."""
    idioms: list[str] = Field(default_factory=list)
    """Set phrases made of a verb of saying that report nothing ("that said", "c'est-à-dire",
    "as they say"): patterns over the folded text; a reporting verb inside a match is no cue."""
    hypothetical: list[str] = Field(default_factory=list)
    """Modal auxiliaries that make a verb of saying a possibility, not an act ("he might muse on
    whether…", "people may question the results"): the writer speculates."""
    narration: list[str] = Field(default_factory=list)
    """Patterns of the outlet's own narration that look like reports ("it can be revealed"):
    a sentence that has one is not a claim."""
    sources: list[str] = Field(default_factory=list)
    """Phrases after which a publication is cited without a hedge ("peut-on lire dans", "on
    apprend via"): its words are an assertion by that source."""
    speaker_nouns: list[str] = Field(default_factory=list)
    agent_suffixes: list[str] = Field(default_factory=list)
    """Endings of nouns for people by what they do or hold ("toxicologue", "détracteurs",
    "opposants"): such a noun after "Pour" is a source of a view."""
    nobody: list[str] = Field(default_factory=list)
    """Subjects that name no one ("personne", "nobody", the generic "on"): no claim."""
    speech_nouns: dict[Stance, list[str]] = Field(default_factory=dict)
    """Nouns of speech acts that carry their content in a clause ("complaints that…", "reports
    that…", "la rumeur selon laquelle…"): a claim by the possessor or the "by" phrase, else by
    unnamed sources, with the noun's stance."""
    anonymity: list[str] = Field(default_factory=list)
    """Regular expressions over the folded text for anonymous sourcing ("on condition of
    anonymity", "sous couvert d'anonymat"): the unit's assertion is then an allegation."""
    granted: list[str] = Field(default_factory=list)
    """What one is denied as a thing, not as a claim ("deny any safe haven", "refuser l'accès"):
    denying it is an act, not a denial."""
    delivery_verbs: list[str] = Field(default_factory=list)
    """Verbs that deliver a statement ("released the following statement:", "a publié le
    communiqué suivant :"): with a noun of speech or of a work as object and a colon after it,
    they report what follows."""
    document_verbs: list[str] = Field(default_factory=list)
    """Verbs that report only with a paper as subject: "“…,” the statement read"."""
    stated_objects: list[str] = Field(default_factory=list)
    """Nouns that carry what is stated when a weak verb takes them as object ("stressed the need
    to…", "a souligné l'importance de…"): the verb then reports a view, as with a clause."""
    stated_with: list[str] = Field(default_factory=list)
    """A weak verb and the preposition that brings what it states ("speculated on the role of…"):
    the verb then reports, as with a clause."""
    addressees: list[str] = Field(default_factory=list)
    """Second-person words: a question paragraph with one is an interviewer's question."""
    documents: list[str] = Field(default_factory=list)
    """Nouns of documents ("the presentation", "les documents"): with a definite determiner and
    no owner named, they are the papers of the organisation the article is about."""
    works: list[str] = Field(default_factory=list)
    """Nouns of what someone wrote or found ("her own research indicates", "le récit qu'elle
    livre au Monde"): with a possessive, or a relative clause whose subject is someone, that
    someone speaks."""
    organisation_heads: list[str] = Field(default_factory=list)
    """Common nouns that head organisations' names ("University of Sheffield", "Transportation
    Trust"): "the university", "the trust" take up the organisation so named. Role nouns
    ("the company", "the court") have their own, stricter resolution (coref.py)."""
    generic_organisations: list[str] = Field(default_factory=list)
    """Role nouns for an organisation of any kind: "the institution" can be the University of
    Sheffield, where "the department" cannot be a trust."""
    subject_only: list[str] = Field(default_factory=list)
    """Role nouns that stand for an organisation only as a subject ("the body said"): elsewhere
    they are mostly a corpse or a limb ("the body was found", "veins in the body")."""
    variation: list[str] = Field(default_factory=list)
    """Beginnings of words of variation ("variant", "disparités", "vary"): a source marker right
    after one means "depending on" ("variant selon les professions"), not a source."""
    anonymous: list[str] = Field(default_factory=list)
    """Nouns for a source known only by its closeness ("a Tory source", "friends close to the
    Duchess", "un proche du ministre"): what they say is reported, not confirmed."""
    collective_suffixes: list[str] = Field(default_factory=list)
    """Endings of nouns for bodies, acts and states, never for one person ("mission",
    "délégation", "government"): such a noun speaking is not the person just named."""
    title_suffixes: list[str] = Field(default_factory=list)
    """Endings of singular nouns for people ("gastro-entérologue", "professeure", "economist"):
    such a noun in apposition to a name becomes a title the article may use for that person."""
    determiners: list[str] = Field(default_factory=list)
    """Words before a noun that make it a definite description (le, the, his; du = de + le)."""
    bare_definite: list[str] = Field(default_factory=list)
    """Role nouns the language uses without a determiner for a body the reader knows ("Police
    said"): definite as they stand."""
    roles: dict[str, RoleClass] = Field(default_factory=dict)
    honorifics: Genders = Field(default_factory=Genders)
    """Courtesy titles before a name ("Mme", "Mr"): the article says who is a woman or a man."""
    gendered_nouns: Genders = Field(default_factory=Genders)
    """Role nouns whose form says the holder's gender ("spokeswoman", "la présidente" as
    "présidente"). Where the tagger shows gender on determiners and adjectives ("la ministre",
    "l'ancienne ministre"), the parse says it too; a masculine form that also serves for women
    ("le ministre" in older usage, "chairman") is better left out."""
    agreeing_auxiliaries: list[str] = Field(default_factory=list)
    """Lemmas of the auxiliaries and copulas whose participle or adjective agrees in gender with
    the subject ("être": "Marine Le Pen s'est exprimée", "X a été élue"), so the parse shows the
    subject's gender; not "avoir" ("elle a dit")."""
    ungendered_nouns: list[str] = Field(default_factory=list)
    """Role nouns whose grammatical gender says nothing of the person's ("la star", "la
    vedette"): no gender is read from them or their determiner."""
    representatives: list[str] = Field(default_factory=list)
    """Nouns for someone or something speaking for an organisation (spokesperson, report)."""
    managements: list[str] = Field(default_factory=list)
    """Nouns for an organisation's own management ("la direction", "the management"): alone, as
    a spokesperson is, they speak for the organisation the sentences just before are about."""


class Lexicon:
    """Compiled form: folded lemmas and compiled regular expressions."""

    def __init__(self, data: LexiconFile) -> None:
        self.language = data.language
        self.strong = {fold(lemma): stance for lemma, stance in data.verbs.strong.items()}
        self.weak = {fold(lemma): stance for lemma, stance in data.verbs.weak.items()}
        # Assertion phrases ("a fait savoir", "met en garde") only say that something is reported;
        # any verb or phrase with a stronger stance wins over them, so they are kept apart.
        self.phrases = [
            (stance, re.compile(pattern)) for stance, patterns in data.phrases.items() for pattern in patterns
            if stance is not Stance.assertion
        ]
        self.assertion_phrases = [re.compile(pattern) for pattern in data.phrases.get(Stance.assertion, [])]
        self.attribution = [fold(marker) for marker in data.attribution]
        self.hearsay = [re.compile(pattern) for pattern in data.hearsay]
        self.charges = [re.compile(pattern) for pattern in data.charges]
        self.openers = [
            re.compile(rf"^{re.escape(fold(word))}\s+(?P<source>[^,;:.«»\"“”]{{2,80}}?)\s*,") for word in data.openers
        ]
        # The same view as an insertion: "Ce cynisme est, pour Greenpeace, un argument en or."
        self.openers += [
            re.compile(rf",\s*{re.escape(fold(word))}\s+(?P<source>[^,;:.«»\"“”]{{2,60}}?)\s*,")
            for word in data.openers
        ]
        self.openers += [re.compile(rf"(?:^|,\s*){pattern}\s*,") for pattern in data.view_openers]
        self.agent_suffixes = tuple(fold(suffix) for suffix in data.agent_suffixes)
        self.title_suffixes = tuple(fold(suffix) for suffix in data.title_suffixes)
        self.collective_suffixes = tuple(fold(suffix) for suffix in data.collective_suffixes)
        self.nobody = {fold(word) for word in data.nobody}
        self.anonymous = {fold(word) for word in data.anonymous}
        self.variation = tuple(fold(word) for word in data.variation)
        self.organisation_heads = {fold(word) for word in data.organisation_heads}
        self.generic_organisations = {fold(word) for word in data.generic_organisations}
        self.subject_only = {fold(word) for word in data.subject_only}
        self.documents = {fold(word) for word in data.documents}
        self.works = {fold(word) for word in data.works}
        self.addressees = {fold(word) for word in data.addressees}
        self.delivery_verbs = {fold(word) for word in data.delivery_verbs}
        self.document_verbs = {fold(word) for word in data.document_verbs}
        self.granted = {fold(word) for word in data.granted}
        self.anonymity = [re.compile(pattern) for pattern in data.anonymity]
        self.stated_objects = {fold(word) for word in data.stated_objects}
        self.stated_with = {tuple(fold(phrase).split()) for phrase in data.stated_with}
        self.speech_nouns = {fold(noun): stance for stance, nouns in data.speech_nouns.items() for noun in nouns}
        self.conditional_mood = data.conditional_mood
        self.reordered_acronyms = data.reordered_acronyms
        self.conditional_auxiliaries = {fold(word) for word in data.conditional_auxiliaries}
        self.negations = {fold(word) for word in data.negations}
        self.pronouns = {fold(word) for word in data.pronouns}
        self.narrators = {fold(word) for word in data.narrators}
        self.relatives = frozenset(fold(word) for word in data.relatives)
        self.locatives = {fold(word) for word in data.locatives}
        self.source_places = {fold(word) for word in data.source_places}
        self.source_sides = {fold(word) for word in data.source_sides}
        self.shared_pronouns = {fold(word) for word in data.shared_pronouns}
        self.agentless = [re.compile(pattern) for pattern in data.agentless]
        self.sources = [fold(marker) for marker in data.sources]
        self.narration = [re.compile(pattern) for pattern in data.narration]
        self.idioms = [re.compile(pattern) for pattern in data.idioms]
        self.hypothetical = {fold(word) for word in data.hypothetical}
        self.question_openers = {fold(word) for word in data.question_openers}
        self.speaker_nouns = {fold(word) for word in data.speaker_nouns}
        self.determiners = [fold(word) for word in data.determiners]
        self.bare_definite = {fold(word) for word in data.bare_definite}
        self.roles = {fold(noun): (name, role.type) for name, role in data.roles.items() for noun in role.nouns}
        self.person_roles = frozenset(noun for noun, (_, kind) in self.roles.items() if kind is EntityType.person)
        self.shared_roles = {name for name, role in data.roles.items() if not role.salient}
        self.alongside_roles = {name for name, role in data.roles.items() if role.alongside}
        # Keyed as names are ("army" and "Army" → "armi", "défense" → "defens"), so they compare.
        self.role_names = {name: frozenset(key for word in role.named for key in name_keys(word))
                           for name, role in data.roles.items() if role.named}
        self.representatives = {fold(word) for word in data.representatives}
        self.managements = {fold(word) for word in data.managements}
        self.honorifics = _genders(data.honorifics)
        self.gendered_nouns = _genders(data.gendered_nouns)
        self.ungendered_nouns = {fold(word) for word in data.ungendered_nouns}
        self.agreeing_auxiliaries = {fold(word) for word in data.agreeing_auxiliaries}

    def is_kind(self, role: str, entity: WatchedEntity) -> bool:
        """Whether a noun of the role class can stand for the entity: its watchlist ``kind`` says
        so, or its name does. An acronym ("NATO") does not say what it stands for, so it may be of
        any kind."""
        kind_words, name = self.role_names.get(role), entity.name
        return (not kind_words or entity.kind == role or bool(kind_words & set(name_keys(name)))
                or (name.isupper() and " " not in name))

    def verb_stance(self, lemma: str) -> tuple[Stance, bool] | None:
        """The stance of a reporting verb and whether it reports on its own (strong)."""
        key = fold(lemma)
        if key in self.strong:
            return self.strong[key], True
        if key in self.weak:
            return self.weak[key], False
        return None


def _genders(words: Genders) -> dict[str, str]:
    """Folded word → the gender it shows, in the parse's terms ("Fem", "Masc")."""
    return {**{fold(word): "Masc" for word in words.masculine}, **{fold(word): "Fem" for word in words.feminine}}


LEXICON_DIR = Path(str(resources.files("pipeline") / "lexicons"))


@cache
def marker_pattern(marker: str) -> re.Pattern[str]:
    """A source marker of the lexicon as a whole word or phrase ("d'après", not "d'après-guerre"),
    compiled once: every unit of every article is searched for every marker."""
    return re.compile(rf"(?<!\w){re.escape(marker)}(?![\w-])")


@cache
def _read(path: Path) -> object:
    """A YAML file of the lexicon directory, parsed once however many readers it has."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def organisation_kinds(directory: Path = LEXICON_DIR) -> frozenset[str]:
    """The role classes of organisations in every lexicon: the values a watchlist's ``kind`` may take."""
    kinds: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        if not isinstance(_read(path), dict):
            continue  # name_words.yaml: groups of words, no lexicon
        lexicon = load_lexicon(path.stem, directory)
        if lexicon is not None:
            kinds.update(role for role, entity_type in lexicon.roles.values() if entity_type is EntityType.organization)
    return frozenset(kinds)


@cache
def load_lexicon(language: str, directory: Path = LEXICON_DIR) -> Lexicon | None:
    path = directory / f"{language}.yaml"
    if not path.exists():
        return None
    return Lexicon(LexiconFile.model_validate(_read(path)))


def lexicon_for(language: str, own: Path | None = None) -> Lexicon | None:
    """The language's lexicon: the deployment's own (``nlp.lexicons``) when it has one for the
    language, else the bundled one."""
    if own is not None and (own / f"{language}.yaml").exists():
        return load_lexicon(language, own)
    return load_lexicon(language)
