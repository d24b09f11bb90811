"""scripts/es-node.sh and pid files that outlive their node.

Pids come round again within minutes on a busy machine (pid_max is often 32768), so a pid file left
by a node that died without cleaning up (SIGKILL, a crash) can name an unrelated process. The script
must then treat the node as stopped, never signal that process. Each test runs a copy of the script
in its own tree, so the session's real node and its pid file are never touched; no Elasticsearch is
needed, because neither `stop` nor `status` unpacks one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "es-node.sh", tmp_path / "scripts" / "es-node.sh")
    (tmp_path / ".cache" / "es").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def bystander() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not a node: what a reused pid names."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def script(tree: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(tree / "scripts" / "es-node.sh"), command], capture_output=True, text=True,
                          timeout=60, check=False)


def test_stop_leaves_alone_a_process_that_reused_the_pid(tree: Path, bystander: subprocess.Popen[bytes]) -> None:
    pid_file = tree / ".cache" / "es" / "pid"
    pid_file.write_text(f"{bystander.pid}\n")
    done = script(tree, "stop")
    assert done.returncode == 0, done.stderr
    assert bystander.poll() is None, "es-node.sh stop signalled a process that is not its node"
    assert "stopped" not in done.stderr
    assert not pid_file.exists()


def test_a_pid_file_that_is_no_number_counts_as_stopped(tree: Path) -> None:
    (tree / ".cache" / "es" / "pid").write_text("garbage\n")
    done = script(tree, "stop")
    assert done.returncode == 0, done.stderr
    assert not (tree / ".cache" / "es" / "pid").exists()
