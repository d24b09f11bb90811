"""`newswatch run` as a service runs it: a real process looping at its poll interval over the
sample site, which picks up an edited configuration before its next cycle, keeps running on an
edit that does not load, and stops cleanly on SIGTERM.

The loop is watched through the store (SQLite, read from this process) and the process's stderr;
every wait is bounded.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.sample import SITE_DIR, WATCHLIST
from pipeline.sample.server import SiteServer
from pipeline.store import open_store

pytestmark = pytest.mark.slow


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def test_run_reloads_an_edited_configuration_and_stops_on_sigterm(tmp_path: Path) -> None:
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(WATCHLIST.read_text(encoding="utf-8"), encoding="utf-8")
    with SiteServer(SITE_DIR) as site:
        config = tmp_path / "newswatch.toml"
        head = (f'data_dir = "data"\nwatchlist = "{watchlist}"\npoll_interval = 5\n'
                f'[network]\nallow_hosts = ["127.0.0.1"]\n'
                f'[[feeds]]\nurl = "{site.url}/feeds/fr.xml"\nname = "Le Veilleur"\n')
        config.write_text(head, encoding="utf-8")
        settings = load_settings(config)
        stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
        with stdout.open("w", encoding="utf-8") as out, stderr.open("w", encoding="utf-8") as errors:
            process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--config", str(config)],
                                       stdout=out, stderr=errors, cwd=tmp_path)
        try:
            database = settings.data_dir / settings.store.path

            def articles() -> int:
                if not database.exists():
                    return 0
                store = open_store(settings)
                try:
                    return store.count("articles")
                finally:
                    store.close()

            def cycles() -> int:
                return stdout.read_text(encoding="utf-8").count("articles stored")  # one report a cycle

            wait_for(lambda: cycles() >= 1, "the first cycle")
            first = articles()
            assert first > 0

            # A watchlist that does not load: reported, and the loop goes on as it was.
            watchlist.write_text("- {id: Not An Id, name: x, type: person}\n", encoding="utf-8")
            wait_for(lambda: "does not load" in stderr.read_text(encoding="utf-8"), "the refused edit")
            assert process.poll() is None
            watchlist.write_text(WATCHLIST.read_text(encoding="utf-8"), encoding="utf-8")

            # A second feed (the sample site's first one has nothing new): read before the next
            # cycle, whose new articles can only come from it.
            config.write_text(head + f'[[feeds]]\nurl = "{site.url}/feeds/en.atom"\nname = "Northwind Wire"\n',
                              encoding="utf-8")
            wait_for(lambda: articles() > first, "the added feed's articles")
            assert "configuration changed: reloaded" in stderr.read_text(encoding="utf-8")
            assert process.poll() is None
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                returncode = process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
        assert returncode == 0, stderr.read_text(encoding="utf-8")
