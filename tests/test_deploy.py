"""deploy/: what can be checked without a Docker engine.

The compose files are validated against the Compose Specification's JSON Schema (vendored in
tests/data/compose-spec), every file a service or the Dockerfile refers to must exist in the
repository, the services the README promises must be there, and the example configuration must load
and point at those services.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator

from pipeline.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SCHEMA = ROOT / "tests" / "data" / "compose-spec" / "compose-spec.json"
BASE, CELERY = DEPLOY / "docker-compose.yml", DEPLOY / "docker-compose.celery.yml"
COMPOSE_FILES = [BASE, CELERY]
AIRFLOW_COMPONENTS = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"}
VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)\}")  # $${X} is escaped


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # resolves anchors and << merge keys


def merged() -> dict[str, dict[str, Any]]:
    """Services of `docker compose -f docker-compose.yml -f docker-compose.celery.yml`, roughly:
    mappings merged key by key, with extends resolved (enough for the references checked here)."""
    services: dict[str, dict[str, Any]] = {}
    for path in COMPOSE_FILES:
        for name, service in load(path)["services"].items():
            current = services.setdefault(name, {})
            for key, value in service.items():
                if isinstance(value, dict) and isinstance(current.get(key), dict):
                    current[key] = {**current[key], **value}
                else:
                    current[key] = value
    for service in services.values():
        if "extends" in service:
            base = load(DEPLOY / service["extends"]["file"])["services"][service["extends"]["service"]]
            for key, value in base.items():
                if key == "depends_on":  # never inherited through extends
                    continue
                if isinstance(value, dict) and isinstance(service.get(key), dict):
                    service[key] = {**value, **service[key]}
                else:
                    service.setdefault(key, value)
    return services


def service_env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def bind_mounts(service: dict[str, Any]) -> list[tuple[Path, PurePosixPath]]:
    """(host path, container path) of the bind mounts; named volumes are left out."""
    mounts = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type") == "bind":
                mounts.append((DEPLOY / volume["source"], PurePosixPath(volume["target"])))
            continue
        source, target = volume.split(":")[:2]
        if source.startswith((".", "/")):
            mounts.append((DEPLOY / source, PurePosixPath(target)))
    return mounts


def host_path(service: dict[str, Any], container_path: str) -> Path | None:
    """The repository file a container sees at ``container_path`` through a bind mount."""
    wanted = PurePosixPath(container_path)
    for host, target in bind_mounts(service):
        if wanted == target or target in wanted.parents:
            return (host / wanted.relative_to(target)).resolve()
    return None


# --------------------------------------------------------------------------- schema


def test_the_vendored_schema_is_a_valid_json_schema() -> None:
    Draft201909Validator.check_schema(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert (SCHEMA.parent / "LICENSE").is_file() and (SCHEMA.parent / "NOTICE").is_file()


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_compose_files_follow_the_compose_specification(path: Path) -> None:
    validator = Draft201909Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in validator.iter_errors(load(path))]
    assert errors == []


def test_the_schema_check_catches_mistakes() -> None:
    """The validation above is not vacuous: a misspelt key or a bad depends_on condition fails."""
    validator = Draft201909Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    broken = load(BASE)
    broken["services"]["kibana"]["restrat"] = "always"
    broken["services"]["kibana"]["depends_on"]["elasticsearch"]["condition"] = "service_ready"
    assert len(list(validator.iter_errors(broken))) >= 2


# --------------------------------------------------------------------------- references


def test_every_referenced_file_exists() -> None:
    services = merged()
    for name, service in services.items():
        build = service.get("build")
        if build is not None:
            context = DEPLOY / (build if isinstance(build, str) else build.get("context", "."))
            assert context.is_dir(), f"{name}: build context {context}"
            dockerfile = context / (build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile")
            assert dockerfile.is_file(), f"{name}: {dockerfile}"
        for host, _ in bind_mounts(service):
            assert host.exists(), f"{name}: bind mount source {host}"
        env_files = service.get("env_file", [])
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            # .env holds the deployment's secrets and is not in git: its template must be.
            template = DEPLOY / (f"{env_file}.example" if env_file == ".env" else env_file)
            assert template.is_file(), f"{name}: env_file {env_file}"
        if "extends" in service:
            assert (DEPLOY / service["extends"]["file"]).is_file()


def test_depends_on_and_named_volumes_are_defined() -> None:
    services = merged()
    volumes = set(load(BASE).get("volumes", {})) | set(load(CELERY).get("volumes") or {})
    for name, service in services.items():
        depends = service.get("depends_on", {})
        assert set(depends) <= set(services), f"{name} depends on {set(depends) - set(services)}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if not source.startswith((".", "/")):
                assert source in volumes, f"{name}: volume {source} is not declared"


def test_the_airflow_containers_see_the_dags_and_the_configuration() -> None:
    for name, service in merged().items():
        if not name.startswith("airflow-"):
            continue
        env = service_env(service)
        dags = host_path(service, env["AIRFLOW__CORE__DAGS_FOLDER"])
        assert dags == (ROOT / "dags").resolve(), name
        assert {p.name for p in dags.glob("newswatch_*.py")} == {
            "newswatch_ingest.py", "newswatch_digest.py", "newswatch_reprocess.py"}
        config = host_path(service, env["NEWSWATCH_CONFIG"])
        assert config == (DEPLOY / "config" / "newswatch.toml").resolve(), name


def test_every_required_variable_is_in_the_env_template() -> None:
    template = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z_][A-Z0-9_]*)=", template, flags=re.MULTILINE))
    for path in COMPOSE_FILES:
        for variable, operator, _ in VARIABLE.findall(path.read_text(encoding="utf-8")):
            if operator.endswith("?") or not operator:  # required, or without a default
                assert variable in listed, f"{path.name}: ${{{variable}}} is not in .env.example"
    assert ".env" in (DEPLOY / ".gitignore").read_text(encoding="utf-8").split()


# --------------------------------------------------------------------------- what the stack is


def test_the_local_stack_has_every_component() -> None:
    services = load(BASE)["services"]
    assert AIRFLOW_COMPONENTS | {"airflow-init", "postgres", "elasticsearch", "kibana", "mailpit"} <= set(services)
    assert re.search(r"elasticsearch:\$\{ELASTIC_VERSION:-9\.", services["elasticsearch"]["image"])
    assert re.search(r"kibana:\$\{ELASTIC_VERSION:-9\.", services["kibana"]["image"])
    for name in AIRFLOW_COMPONENTS:
        env = service_env(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
    commands = {" ".join(services[name]["command"]) for name in AIRFLOW_COMPONENTS}
    assert commands == {"airflow api-server --port 8080", "airflow scheduler", "airflow dag-processor",
                        "airflow triggerer"}


def test_the_celery_variant_adds_a_broker_and_workers() -> None:
    services = merged()
    assert {"redis", "airflow-worker"} <= set(services)
    for name in AIRFLOW_COMPONENTS | {"airflow-worker", "airflow-init"}:
        env = service_env(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:")
    worker = services["airflow-worker"]
    assert worker["command"] == ["airflow", "celery", "worker"]
    assert worker["image"] == load(BASE)["services"]["airflow-scheduler"]["image"]
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_example_configuration_loads_and_targets_the_stack() -> None:
    settings = load_settings(DEPLOY / "config" / "newswatch.toml")
    services = load(BASE)["services"]
    assert settings.store.backend == "elasticsearch"
    assert all(host.startswith("http://elasticsearch:9200") for host in settings.store.elasticsearch.hosts)
    assert settings.smtp.host in services and settings.smtp.host == "mailpit" and settings.smtp.port == 1025
    assert settings.watchlist == (DEPLOY / "config" / "watchlist.yaml").resolve()
    assert settings.feeds and settings.rules
    assert settings.store.elasticsearch.api_key is None and settings.smtp.password is None  # no secrets in git


# --------------------------------------------------------------------------- the image


def dockerfile_copies() -> list[str]:
    sources = []
    for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and parts[0] == "COPY":
            args = [part for part in parts[1:] if not part.startswith("--")]
            sources.extend(args[:-1])
    return sources


def test_everything_the_dockerfile_copies_exists_and_is_in_the_build_context() -> None:
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = [line[1:].rstrip("/") for line in ignore if line.startswith("!")]
    copies = dockerfile_copies()
    assert copies
    for source in copies:
        assert (ROOT / source).exists(), source
        assert any(source.rstrip("/") == entry or source.startswith(entry + "/") for entry in allowed), \
            f"{source} is excluded by Dockerfile.dockerignore"


def test_the_image_has_what_pip_install_dot_needs() -> None:
    """pyproject.toml maps some packages to folders outside pipeline/: the image must copy them too."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project.get("tool", {}).get("setuptools", {})
    needed = {"pyproject.toml", project["project"].get("readme", "README.md"), "pipeline/",
              *(f"{folder.rstrip('/')}/" for folder in setuptools.get("package-dir", {}).values())}
    copies = set(dockerfile_copies())
    assert needed <= copies, needed - copies
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert 'pip install -c requirements/constraints.txt ".[models,airflow]"' in dockerfile
    for line in (DEPLOY / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, f"deploy/requirements.txt: {line} is not pinned"
