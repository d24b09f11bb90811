"""Configuration: defaults < file < environment, validated at load, errors name file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import ConfigError, load_settings, load_watchlist

WATCHLIST = """
- {id: musk, name: Elon Musk, type: person}
- {id: pentagon, name: Pentagon, type: organization}
"""


def write(tmp_path: Path, text: str, name: str = "newswatch.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, WATCHLIST, "watchlist.yaml")
    config = write(tmp_path, 'watchlist = "watchlist.yaml"\npoll_interval = 60\n[limits]\nconcurrency = 3\n'
                             '[[feeds]]\nurl = "https://example.org/rss"\nname = "Example"\n')
    monkeypatch.setenv("NEWSWATCH_LIMITS__CONCURRENCY", "5")
    settings = load_settings(config)
    assert settings.poll_interval == 60
    assert settings.limits.concurrency == 5  # environment wins over the file
    assert settings.limits.max_page_bytes == 5_000_000  # packaged default
    assert settings.watchlist == tmp_path / "watchlist.yaml"  # relative to the file, not the cwd
    assert settings.feeds[0].name == "Example"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("poll_interval = 1\n", "poll_interval"),
        ("[limits]\nconcurrency = 0\n", "limits.concurrency"),
        ("[store]\nbackend = \"mongodb\"\n", "store.backend"),
        ("[[feeds]]\nname = \"no url\"\n", "feeds.0.url"),
        ("unknown_key = 1\n", "unknown_key"),
        ("[[rules]]\nid = \"r\"\nrecipients = [\"not an address\"]\n", "rules.0.recipients"),
        ("[network]\nallow_hosts = [\"not-an-ip\"]\n", "network.allow_hosts"),
    ],
)
def test_invalid_config_names_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    config = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(config) in str(caught.value)
    assert field in str(caught.value)


def test_rule_naming_an_unwatched_entity_is_refused(tmp_path: Path) -> None:
    write(tmp_path, WATCHLIST, "watchlist.yaml")
    config = write(tmp_path, 'watchlist = "watchlist.yaml"\n[[rules]]\nid = "r"\nentities = ["putin"]\n')
    with pytest.raises(ConfigError, match=r"rules\.0\.entities: 'putin' is not in the watchlist"):
        load_settings(config)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    config = write(tmp_path, "poll_interval = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {id: Musk!, name: Elon Musk, type: person}\n", "entry 1 (id=Musk!): id"),
        ("- {id: musk, name: Elon Musk, type: alien}\n", "entry 1 (id=musk): type"),
        ("- {id: musk, name: Elon Musk, type: person}\n- {id: musk, name: E. Musk, type: person}\n", "duplicate id"),
        ("- {id: us, name: United States, type: place}\n- {id: usa, name: united  States, type: place}\n",
         "entry 2 (id=usa): name: 'united  States' is already the name of 'us'"),
        ("- {id: apple, name: Apple, type: organization, kind: fruit}\n", "entry 1 (id=apple): kind: 'fruit'"),
        ("- {id: musk, name: Elon Musk, type: person, kind: company}\n",
         "entry 1 (id=musk): kind: only organisations have one (this is a person)"),
        ("{id: musk}\n", "a YAML list"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)
def test_invalid_watchlist_names_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "watchlist.yaml")
    with pytest.raises(ConfigError) as caught:
        load_watchlist(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_cli_exits_2_and_writes_nothing_on_bad_config(tmp_path: Path) -> None:
    config = write(tmp_path, 'data_dir = "data"\n[limits]\nconcurrency = -1\n')
    result = CliRunner().invoke(app, ["run", "--once", "--config", str(config)])
    assert result.exit_code == 2
    assert "limits.concurrency" in result.output
    assert not (tmp_path / "data").exists()


def test_config_check_accepts_a_valid_file(tmp_path: Path) -> None:
    write(tmp_path, WATCHLIST, "watchlist.yaml")
    config = write(tmp_path, 'watchlist = "watchlist.yaml"\n')
    result = CliRunner().invoke(app, ["config", "check", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "2 watched entities" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[store.elasticsearch]\nusername = "elastic"\n', "username without password"),
        ('[store.elasticsearch]\napi_key = "k"\nusername = "u"\npassword = "p"\n', "either api_key"),
    ],
)
def test_elasticsearch_credentials_are_checked_at_load(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text))


def own_lexicons(tmp_path: Path, name: str, text: str) -> Path:
    directory = tmp_path / "lexicons"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize(("name", "text", "message"), [
    ("en.yaml", "language: en\nverbs:\n  strong:\n    bellow: shouting\n", "verbs.strong.bellow"),
    ("en.yaml", "language: en\nverbz: {}\n", "verbz"),
    ("es.yaml", "language: fr\n", "language: 'fr', but the file is named for 'es'"),
    ("en.yaml", "language: [en\n", "not valid YAML"),
])
def test_a_lexicon_of_the_deployment_is_checked_at_load(tmp_path: Path, name: str, text: str, message: str) -> None:
    directory = own_lexicons(tmp_path, name, text)
    config = write(tmp_path, '[nlp]\nlexicons = "lexicons"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(directory / name) in str(caught.value) and message in str(caught.value)


def test_the_lexicon_directory_is_relative_to_the_config_file(tmp_path: Path) -> None:
    directory = own_lexicons(tmp_path, "es.yaml", "language: es\nverbs:\n  strong:\n    decir: assertion\n")
    assert load_settings(write(tmp_path, '[nlp]\nlexicons = "lexicons"\n')).nlp.lexicons == directory
    with pytest.raises(ConfigError, match=r"nlp\.lexicons: .* is not a directory"):
        load_settings(write(tmp_path, '[nlp]\nlexicons = "missing"\n'))
