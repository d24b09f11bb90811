"""The CLI over a store filled by a real run against the sample site (embedded default: SQLite
and the .eml outbox)."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.sample import SITE_DIR, WATCHLIST
from pipeline.sample.server import SiteServer
from tests.conftest import SHARED

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real `newswatch run --once` over the sample site, shared by the read-only tests."""
    root = tmp_path_factory.mktemp("cli")
    with SiteServer(SITE_DIR) as site:
        config = root / "newswatch.toml"
        config.write_text(
            f'data_dir = "data"\nwatchlist = "{WATCHLIST}"\n[network]\nallow_hosts = ["127.0.0.1"]\n'
            f'[[feeds]]\nurl = "{site.url}/feeds/fr.xml"\nname = "Le Veilleur"\n'
            f'[[feeds]]\nurl = "{site.url}/feeds/en.atom"\nname = "Northwind Wire"\n',
            encoding="utf-8",
        )
        result = runner.invoke(app, ["run", "--once", "--config", str(config)])
        assert result.exit_code == 0, result.output
    return config


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_run_wrote_the_outbox(demo_config: Path) -> None:
    outbox = demo_config.parent / "data" / "outbox"
    emails = list(outbox.glob("*.eml"))
    assert emails
    sent = invoke("alerts", "--config", str(demo_config), "--status", "sent", "--limit", "1000", "--json")
    assert len(sent.splitlines()) == len(emails)


def test_search_is_accent_and_case_insensitive(demo_config: Path) -> None:
    hits = [json.loads(line) for line in invoke("search", "PENTAGONE", "--config", str(demo_config), "--json")
            .splitlines()]
    urls = {hit["url"].rsplit("/", 1)[1] for hit in hits}
    assert {"seed-musk-kremlin.html", "fr-starlink-pentagone.html"} <= urls
    accented = invoke("search", "Taïwan", "--config", str(demo_config), "--json")
    plain = invoke("search", "TAIWAN", "--config", str(demo_config), "--json")
    assert accented.strip() and accented == plain


def test_claims_filtered_by_entity_and_stance(demo_config: Path) -> None:
    output = invoke("claims", "--config", str(demo_config), "--entity", "musk", "--stance", "denial", "--json")
    claims = [json.loads(line) for line in output.splitlines()]
    assert claims
    assert all(c["stance"] == "denial" for c in claims)
    assert all("musk" in c["about"] or c["speaker_entity"] == "musk" for c in claims)
    assert any("absurde" in c["text"] for c in claims)


def test_errors_show_the_recorded_skip(demo_config: Path) -> None:
    errors = [json.loads(line) for line in invoke("errors", "--config", str(demo_config), "--json").splitlines()]
    skip = next(e for e in errors if e["kind"] == "no_main_text")
    assert skip["terminal"] and skip["url"].endswith("fr-abonnement.html")


def test_reprocess_sends_nothing_new(demo_config: Path) -> None:
    outbox = demo_config.parent / "data" / "outbox"
    before = sorted(p.name for p in outbox.glob("*.eml"))
    invoke("reprocess", "--config", str(demo_config))
    assert sorted(p.name for p in outbox.glob("*.eml")) == before


def test_extract_prints_the_main_text_of_a_corpus_page() -> None:
    page = SHARED / "corpora" / "extraction" / "fundus" / "LeMonde_2023_09_01.html"
    output = invoke("extract", str(page))
    assert len(output) > 500
    assert "<div" not in output


def test_analyze_shows_what_one_text_would_give_without_storing_it(tmp_path: Path) -> None:
    """The seed article as plain text: its entities, its claims, and the alert a rule would queue."""
    config = tmp_path / "newswatch.toml"
    config.write_text(f'data_dir = "data"\nwatchlist = "{WATCHLIST}"\n'
                      '[[rules]]\nid = "denials"\nstances = ["denial"]\nrecipients = ["desk@example.org"]\n',
                      encoding="utf-8")
    seed = str(SHARED / "seed" / "article_fr.txt")
    found = json.loads(invoke("analyze", seed, "--config", str(config), "--json"))
    assert {"musk", "putin", "pentagon"} <= {mention["entity_id"] for mention in found["mentions"]}
    denials = [claim for claim in found["claims"] if claim["stance"] == "denial"]
    assert {claim["speaker_entity"] for claim in denials} == {"musk", "peskov"}  # the Kremlin denied too
    assert sorted((alert["rule_id"], alert["claim_id"], alert["recipients"][0]) for alert in found["alerts"]) == \
        sorted(("denials", claim["id"], "desk@example.org") for claim in denials)
    assert not (tmp_path / "data").exists()  # nothing stored, nothing sent
    table = invoke("analyze", seed, "--config", str(config))
    assert "musk" in table and "rule denials: claim" in table


def test_analyze_reads_a_page_over_http_and_text_on_stdin(tmp_path: Path) -> None:
    config = tmp_path / "newswatch.toml"
    config.write_text('[network]\nallow_hosts = ["127.0.0.1"]\n', encoding="utf-8")
    with SiteServer(SITE_DIR) as site:
        found = json.loads(invoke("analyze", f"{site.url}/articles/seed-musk-kremlin.html", "--config", str(config),
                                  "--watchlist", str(WATCHLIST), "--json"))
    assert found["article"]["url"].endswith("/articles/seed-musk-kremlin.html")
    assert "musk" in {claim["speaker_entity"] for claim in found["claims"]}
    result = runner.invoke(app, ["analyze", "-", "--config", str(config), "--watchlist", str(WATCHLIST), "--json",
                                 "--language", "en"],
                           input="Elon Musk denied the report, calling it “utterly false”, on Sunday.\n")
    assert result.exit_code == 0, result.output
    [claim] = json.loads(result.output)["claims"]
    assert (claim["speaker_entity"], claim["stance"]) == ("musk", "denial")


def test_analyze_without_a_watchlist_says_so(tmp_path: Path) -> None:
    config = tmp_path / "newswatch.toml"
    config.write_text('data_dir = "data"\n', encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(SHARED / "seed" / "article_fr.txt"), "--config", str(config)])
    assert result.exit_code == 2
    assert "no watchlist" in result.output


def test_eval_last_line_is_the_json_of_the_guide(tmp_path: Path) -> None:
    seed = (SHARED / "seed" / "article_fr.txt").read_text(encoding="utf-8")
    gold = {"docs": [{"id": "seed", "lang": "fr", "text": seed, "mentions": {"musk": 8, "pentagon": 2},
                      "claims": [{"sentence": "Le milliardaire a qualifié ces accusations « absurde »",
                                  "speaker": "musk", "stance": "denial", "about": ["musk"]}]}]}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "w.yaml").write_text("- {id: musk, name: Elon Musk, type: person}\n"
                                     "- {id: pentagon, name: Pentagon, type: organization}\n", encoding="utf-8")
    output = invoke("eval", "--gold", str(tmp_path / "gold.json"), "--watchlist", str(tmp_path / "w.yaml"))
    figures = json.loads(output.strip().splitlines()[-1])
    assert set(figures) >= {"docs", "mention_precision", "mention_recall", "claim_precision", "claim_recall",
                            "speaker_accuracy", "stance_accuracy", "about_jaccard", "gold_claims", "system_claims"}
    assert figures["docs"] == 1 and figures["gold_claims"] == 1
    assert figures["claim_recall"] == 1.0 and figures["stance_accuracy"] == 1.0


def test_eval_distractors_count_their_links_as_false_mentions(tmp_path: Path) -> None:
    """A crowded watchlist: the Kremlin, watched only as a distractor, is named three times in the
    seed, and each link counts against mention precision; a distractor already watched by name
    (Elon Musk) is left out, and one whose id is taken keeps its entity under another id."""
    seed = (SHARED / "seed" / "article_fr.txt").read_text(encoding="utf-8")
    gold = {"docs": [{"id": "seed", "lang": "fr", "text": seed, "mentions": {"musk": 8, "pentagon": 2},
                      "claims": []}]}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (tmp_path / "w.yaml").write_text("- {id: musk, name: Elon Musk, type: person}\n"
                                     "- {id: pentagon, name: Pentagon, type: organization}\n", encoding="utf-8")
    (tmp_path / "d.yaml").write_text("- {id: musk, name: Elon Musk, type: person}\n"
                                     "- {id: pentagon, name: Kremlin, type: organization}\n", encoding="utf-8")
    args = ["eval", "--gold", str(tmp_path / "gold.json"), "--watchlist", str(tmp_path / "w.yaml"), "--no-baseline"]
    plain = json.loads(invoke(*args).strip().splitlines()[-1])
    crowded = json.loads(invoke(*args, "--distractors", str(tmp_path / "d.yaml")).strip().splitlines()[-1])
    assert plain["mention_precision"] == 1.0 and plain["mention_recall"] == 1.0
    assert crowded["mention_precision"] == round(10 / 13, 4) and crowded["mention_recall"] == 1.0


def test_run_gives_back_the_sigterm_handler_it_found(tmp_path: Path) -> None:
    """`run` stops cleanly on SIGTERM through a handler of its own; a caller that runs it in-process
    (this suite does) must get its own handler back, or it would go on ignoring SIGTERM."""
    config = tmp_path / "newswatch.toml"
    config.write_text(f'data_dir = "data"\nwatchlist = "{WATCHLIST}"\n', encoding="utf-8")

    def mine(signum: int, frame: object) -> None:
        raise AssertionError("not called")

    found = signal.signal(signal.SIGTERM, mine)
    try:
        result = runner.invoke(app, ["run", "--once", "--config", str(config)])
        assert result.exit_code == 0, result.output
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, found)
