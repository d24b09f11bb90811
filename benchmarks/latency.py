"""Alert latency: from a feed item appearing on the site to its alert email arriving by SMTP.

Everything is real: the daemon is ``newswatch run`` (``python -m pipeline.cli run``) in its own
process with the configured poll interval; the site serves a live feed that the benchmark edits;
a real SMTP server (aiosmtpd) on 127.0.0.1 receives the mail. One article is published before the
daemon starts, so that the measured ones meet a daemon in its steady state; then each measured
article is published at a random moment (uniform over one poll interval after the previous
email), and the clock stops when the server has received an email naming its URL. Publication,
the feed polls and the arrivals are all read from one monotonic clock in this process.

Expected: the wait for the next poll (uniform in [0, interval)) plus one cycle's processing time;
the target is interval + 30 s. The wait is bounded (2 intervals + 60 s); a miss is reported.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from benchmarks import ROOT
from benchmarks.corpus import Page
from benchmarks.e2e import child_env
from benchmarks.site import LIVE_PATH, BenchSite
from benchmarks.stats import rnd

RECIPIENT = "desk@example.org"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """aiosmtpd handler keeping each message with its arrival time (the test suite's mailbox,
    tests/plugins/smtp.py, is a pytest plugin and keeps no times)."""

    def __init__(self) -> None:
        self.received: list[tuple[float, EmailMessage]] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=default)
        with self.arrived:
            self.received.append((time.monotonic(), message))  # type: ignore[arg-type]
            self.arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, needle: str, deadline: float) -> float | None:
        """Arrival time of the first message whose text contains ``needle``, or None at the deadline."""
        seen = 0
        with self.arrived:
            while True:
                for when, message in self.received[seen:]:
                    body = message.get_body(("plain",))
                    if body is not None and needle in body.get_content():
                        return when
                seen = len(self.received)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.arrived.wait(timeout=min(remaining, 1.0))


def _config(path: Path, data_dir: Path, watchlist: Path, feed_url: str, smtp_port: int, poll: int,
            workers: int) -> None:
    def q(value: object) -> str:
        return json.dumps(str(value))

    path.write_text(
        "# Written by the latency benchmark.\n"
        f"data_dir = {q(data_dir)}\nwatchlist = {q(watchlist)}\npoll_interval = {poll}\n\n"
        '[network]\nallow_hosts = ["127.0.0.1"]\n\n'
        f"[nlp]\nworkers = {workers}\n\n"
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\ntimeout = 10\n'
        f"default_recipients = [{q(RECIPIENT)}]\n\n"
        f'[[feeds]]\nurl = {q(feed_url)}\nname = "Live outlet"\n\n'
        f'[[rules]]\nid = "bench"\nrecipients = [{q(RECIPIENT)}]\n',
        encoding="utf-8",
    )


def _stop(proc: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM (the daemon finishes its cycle and exits), then SIGKILL of its process group."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def measure(pages: list[Page], alerting: list[int], watchlist: Path, workdir: Path, poll: int, samples: int,
            workers: int, seed: int | None, log: Any) -> dict[str, Any]:
    """``alerting``: page indexes whose articles raise alerts with fingerprints no other one raises;
    the first warms the daemon up, the next ``samples`` are measured."""
    result: dict[str, Any] = {"poll_interval_s": poll, "target_s": poll + 30, "workers": workers, "samples": []}
    if len(alerting) < 2:
        result["error"] = "fewer than two corpus pages raise distinct alerts with this watchlist"
        return result
    from aiosmtpd.controller import Controller

    rng = random.Random(seed)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port(), ready_timeout=10)
    smtp.start()
    site = BenchSite(pages).start()
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "newswatch.toml"
    _config(config, workdir / "data", watchlist, site.urls[0] + LIVE_PATH, smtp.port, poll, workers)
    # Article numbers far above any throughput run's, one per page: k ≡ page (mod P).
    numbers = [len(pages) * (2000 + i) + page for i, page in enumerate(alerting)]
    log_file = (workdir / "daemon.log").open("wb")
    proc: subprocess.Popen[bytes] | None = None
    try:
        site.publish(numbers[0])
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--config", str(config)],
                                stdout=log_file, stderr=subprocess.STDOUT, cwd=ROOT, env=child_env(),
                                start_new_session=True)
        warm = inbox.wait_for(f"/a/{numbers[0]}/", started + max(300, 3 * poll))
        if warm is None:
            result["error"] = f"the warm-up alert never arrived (see {workdir / 'daemon.log'})"
            return result
        result["first_cycle_s"] = rnd(warm - started, 2)
        for k in numbers[1:1 + samples]:
            time.sleep(rng.uniform(0, poll))
            published = site.publish(k)
            arrived = inbox.wait_for(f"/a/{k}/", published + 2 * poll + 60)
            polled = next((when for when in list(site.live_polls) if when >= published), None)
            sample: dict[str, Any] = {"latency_s": None if arrived is None else rnd(arrived - published, 2)}
            if polled is not None:
                sample["wait_for_poll_s"] = rnd(polled - published, 2)
                if arrived is not None:
                    sample["processing_s"] = rnd(arrived - polled, 2)
            result["samples"].append(sample)
            log(f"alert latency sample: {sample}")
            if arrived is None:
                break
    finally:
        if proc is not None:
            _stop(proc, grace=max(60, poll))
        log_file.close()
        site.stop()
        smtp.stop()
    latencies = [s["latency_s"] for s in result["samples"]]
    if latencies and all(value is not None for value in latencies):
        result["max_s"] = max(latencies)
        result["mean_s"] = rnd(sum(latencies) / len(latencies), 2)
    return result


def distinct_alerting(prints: dict[int, set[str]], wanted: int) -> list[int]:
    """Page indexes whose alert fingerprints are pairwise disjoint (each would mail something new)."""
    chosen: list[int] = []
    taken: set[str] = set()
    for index in sorted(prints):
        fingerprints = prints[index]
        if fingerprints and not fingerprints & taken:
            chosen.append(index)
            taken |= fingerprints
            if len(chosen) == wanted:
                break
    return chosen
