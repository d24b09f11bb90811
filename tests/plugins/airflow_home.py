"""Real Airflow for the DAG tests: its own AIRFLOW_HOME and SQLite metadata DB under the session's
pytest tmp dir, migrated once per session.

Airflow reads AIRFLOW_HOME (and writes airflow.cfg there) when it is first imported, so the
``airflow_home`` fixture sets the environment first and the tests import Airflow only inside
themselves; ~/airflow is never touched. The repository's dags/ folder is the DAG folder, so that
``dag.test()`` syncs the real DAG files, and the example DAGs are off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"
MIGRATE_TIMEOUT = 300  # seconds; about 5 on a laptop


def airflow_environment(home: Path) -> dict[str, str]:
    """The variables that point Airflow at ``home``: also what a subprocess importing a DAG needs."""
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "120",
    }


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if "airflow" in sys.modules:
        pytest.fail("airflow was imported before the airflow_home fixture set AIRFLOW_HOME; import it inside "
                    "the tests that use the fixture", pytrace=False)
    home = tmp_path_factory.mktemp("airflow_home")
    patch = pytest.MonkeyPatch()
    for key, value in airflow_environment(home).items():
        patch.setenv(key, value)
    try:
        migrated = subprocess.run(
            [sys.executable, "-m", "airflow", "db", "migrate"], capture_output=True, text=True,
            timeout=MIGRATE_TIMEOUT, env=os.environ.copy(), check=False,
        )
        if migrated.returncode != 0:
            pytest.fail(f"airflow db migrate exited {migrated.returncode}:\n{migrated.stderr[-3000:]}", pytrace=False)
        yield home
    finally:
        patch.undo()
