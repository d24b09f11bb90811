"""The benchmark run: options, the order of the measurements, and the one JSON line at the end.

Order: the site starts (its own process); the stage pass and the libraries-alone limit run here;
the end-to-end runs (1 worker, then N workers) each run in a fresh process on an empty store; the
10k point pre-fills a store to 10,000 - N articles and runs N new ones end to end; Elasticsearch
bulk runs when a node answers; the alert latency runs the real daemon last. Progress goes to
stderr, a summary and then the JSON line to stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import ROOT, corpus, e2e, elastic, latency, replay, sqlplans, stages
from benchmarks.memory import cpu_count
from benchmarks.site import SiteProcess
from benchmarks.stats import ratio, rnd
from pipeline.runner import STORE_BATCH

DEFAULT_WATCHLIST = ROOT / "eval" / "dev" / "watchlist.yaml"
TEN_K = 10_000
SMALL_ARTICLES = 100
SMALL_PAGES = 20
TARGETS = {
    "efficiency": (">=", 0.8),
    "speedup_2_workers": (">=", 1.7),
    "peak_rss_mb": ("<=", 1500),
    "es_bulk_docs_per_s": (">=", 2000),
    "alert_latency_s": ("<=", None),  # poll interval + 30 s, filled in per run
    "cost_ratio_10k_vs_1k": ("<=", 1.2),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark newswatch on the real corpus pages served from 127.0.0.1; the last line of output "
                    "is one JSON object (see benchmarks/README.md).",
    )
    parser.add_argument("--small", action="store_true",
                        help=f"CI mode: {SMALL_ARTICLES} articles from {SMALL_PAGES} pages, no 10k point, latency "
                             "with a 5 s poll interval.")
    parser.add_argument("--articles", type=int, help="Articles per end-to-end run (default: the smallest multiple of "
                        "the number of distinct pages that is at least 1,000, so every page weighs the same).")
    parser.add_argument("--workers", type=int, default=2, help="nlp.workers of the scaled runs (default 2).")
    parser.add_argument("--batch-size", type=int, help="nlp.batch_size (default: the pipeline's default).")
    parser.add_argument("--stage-articles", type=int,
                        help="Articles of the stage pass and the limit (default: one per distinct page).")
    parser.add_argument("--repeat", type=int, default=1, help="Passes of the libraries-alone limit; the best counts.")
    parser.add_argument("--hosts", type=int, default=4, help="Loopback hosts (outlets) serving the feeds.")
    parser.add_argument("--per-feed", type=int, default=100, help="Items per feed.")
    parser.add_argument("--corpus", type=Path,
                        help=f"Pages (default: ${corpus.CORPUS_ENV} or {corpus.DEFAULT_CORPUS}).")
    parser.add_argument("--pages", type=int, help=f"Use the first N pages only (default: all; {SMALL_PAGES} small).")
    parser.add_argument("--watchlist", type=Path, default=DEFAULT_WATCHLIST, help="Watchlist (default: eval/dev).")
    parser.add_argument("--es-url", help=f"Elasticsearch node (default: ${elastic.URL_ENV}, else the node of "
                        "scripts/es-node.sh when it answers).")
    parser.add_argument("--no-es", action="store_true", help="Skip Elasticsearch even when a node answers.")
    parser.add_argument("--no-10k", action="store_true", help="Skip the 10,000-article point.")
    parser.add_argument("--large", type=int, default=TEN_K, help="Store size of the large point (default 10,000).")
    parser.add_argument("--no-latency", action="store_true", help="Skip the alert latency.")
    parser.add_argument("--poll-interval", type=int, help="Daemon poll interval for the latency (default 60; 5 small).")
    parser.add_argument("--latency-samples", type=int, help="Measured alerts (default 3; 1 small).")
    parser.add_argument("--seed", type=int, help="Seed of the random publication moments.")
    parser.add_argument("--workdir", type=Path, help="Keep stores and logs here (default: a temporary folder, "
                        "deleted at the end).")
    args = parser.parse_args(argv)
    if args.workers < 2:
        parser.error("--workers must be at least 2 (the 1-worker run is always measured)")
    return args


def _settings_overrides(args: argparse.Namespace, data_dir: Path, feeds: list[corpus.FeedSpec],
                        workers: int) -> dict[str, Any]:
    nlp: dict[str, Any] = {"workers": workers}
    if args.batch_size:
        nlp["batch_size"] = args.batch_size
    return {
        "data_dir": str(data_dir),
        "watchlist": str(args.watchlist),
        "feeds": [feed.config() for feed in feeds],
        "rules": [{"id": "bench", "recipients": [latency.RECIPIENT]}],
        "network": {"allow_hosts": ["127.0.0.0/8"]},
        "limits": {"max_items_per_feed": max(args.per_feed, 200)},
        "nlp": nlp,
    }


def _e2e_summary(run: dict[str, Any], articles: int) -> dict[str, Any]:
    return {
        "seconds": rnd(run["seconds"], 2),
        "articles_per_s": rnd(articles / run["seconds"], 2),
        "ms_per_article": rnd(1000 * run["seconds"] / articles, 1),
        "cpu_ms_per_article": rnd(1000 * run["cpu_seconds"] / articles, 1),
        "cores_busy": rnd(run["cpu_seconds"] / run["seconds"], 2),
        "stage_seconds": run["stage_seconds"],
        "peak_rss_mb": rnd(run["peak_rss_kb"] / 1024, 1),
        "peak_rss_upper_mb": rnd(run["peak_rss_upper_kb"] / 1024, 1),
        "processes": run["processes"],
        "report": run["report"],
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from pipeline.config import load_settings, load_watchlist

    began = time.perf_counter()
    for key in [key for key in os.environ if key.startswith("NEWSWATCH_") and not key.startswith("NEWSWATCH_BENCH_")]:
        del os.environ[key]  # the configuration measured is the one written here
    corpus_path = corpus.corpus_dir(args.corpus)
    small = args.small
    pages = corpus.load_pages(corpus_path)[:args.pages or (SMALL_PAGES if small else None)]
    distinct = len(pages)
    articles = args.articles or (SMALL_ARTICLES if small else distinct * math.ceil(1000 / distinct))
    sample = min(args.stage_articles or distinct, distinct, articles)
    poll = args.poll_interval or (5 if small else 60)
    samples = args.latency_samples or (1 if small else 3)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newswatch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    watchlist = load_watchlist(args.watchlist)
    watched = {entity.id for entity in watchlist}
    out: dict[str, Any] = {
        "benchmark": "newswatch",
        "mode": "small" if small else "full",
        "articles": articles,
        "distinct_pages": distinct,
        "stage_articles": sample,
        "workers": args.workers,
        "machine": {"cpus": cpu_count(), "python": platform.python_version(), "load_before": os.getloadavg()},
    }
    log(f"{articles} articles from {distinct} pages of {corpus_path}; work in {workdir}")
    try:
        with SiteProcess(corpus_path, distinct, args.hosts) as site:
            hosts = site.urls

            def settings_for(data_dir: Path, feeds: list[corpus.FeedSpec], workers: int) -> dict[str, Any]:
                return _settings_overrides(args, data_dir, feeds, workers)

            # 1. Stage pass and the libraries alone, here, on one core.
            feeds = corpus.feed_set(hosts, 0, articles, args.per_feed)
            settings = load_settings(None, **settings_for(workdir / "stages", feeds, 1))
            measured = stages.measure(settings, watchlist, pages, feeds, sample, workdir / "stages" / "stages.db",
                                      args.repeat, log)
            out["stages"] = measured.figures
            out["extract_failures"] = measured.extract_failures
            out.update(measured.limit)
            plan_feeds = corpus.feed_set(hosts, distinct * 3000, min(articles, 8), args.per_feed)
            out["sqlite"] = sqlplans.trace_run(load_settings(None, **settings_for(workdir / "plans", plan_feeds, 1)))
            log(f"sqlite plans: {len(out['sqlite']['full_scans'])} full scans among "
                f"{out['sqlite']['statements']} statement shapes")

            # 2. End to end, 1 worker then N workers, each on an empty store.
            runs: dict[str, Any] = {}
            for name, workers in (("1_worker", 1), (f"{args.workers}_workers", args.workers)):
                log(f"end-to-end run, {workers} worker(s), {articles} articles")
                result = e2e.launch({"settings": settings_for(workdir / name, feeds, workers)}, workdir, name)
                runs[name] = _e2e_summary(result, articles)
                log(f"  {runs[name]['articles_per_s']} articles/s, peak RSS {runs[name]['peak_rss_mb']} MB")
            one, scaled = runs["1_worker"], runs[f"{args.workers}_workers"]

            # 3. The 10k point: N new articles on a store pre-filled to 10,000 - N.
            ten_k: dict[str, Any] | None = None
            if not small and not args.no_10k:
                if len(measured.docs) < distinct:
                    ten_k = {"error": "the stage pass must cover every page (--stage-articles) for the pre-fill"}
                else:
                    ten_k = _ten_k(args, pages, measured.docs, hosts, articles, workdir, settings_for, watched)
            if ten_k is not None:
                runs["10k"] = ten_k
        out["e2e"] = runs
        out["e2e_articles_per_s"] = scaled["articles_per_s"]
        out["e2e_articles_per_s_1_worker"] = one["articles_per_s"]
        out["efficiency"] = rnd(ratio(one["articles_per_s"], out["limit_articles_per_s"]), 3)
        out["efficiency_cpu"] = rnd(ratio(out["limit_cpu_ms_per_article"], one["cpu_ms_per_article"]), 3)
        out[f"efficiency_{args.workers}_workers"] = rnd(
            ratio(scaled["articles_per_s"], (out["limit_articles_per_s"] or 0) * args.workers), 3)
        out["speedup_2_workers"] = rnd(ratio(scaled["articles_per_s"], one["articles_per_s"]), 3)
        out["peak_rss_mb"] = max(one["peak_rss_mb"], scaled["peak_rss_mb"])
        out["cost_ratio_10k_vs_1k"] = None
        if ten_k is not None and "ms_per_article" in ten_k:
            out["cost_ratio_10k_vs_1k"] = rnd(ratio(ten_k["ms_per_article"], scaled["ms_per_article"]), 3)
            out["cost_ratio_cpu_10k_vs_1k"] = rnd(ratio(ten_k["cpu_ms_per_article"], scaled["cpu_ms_per_article"]), 3)

        # 4. Elasticsearch bulk.
        out["es_bulk_docs_per_s"] = None
        out["stages"]["store_elasticsearch"] = None
        url, how = (None, "skipped (--no-es)") if args.no_es else elastic.find_node(args.es_url)
        out["elasticsearch"] = {"node": how}
        if url is not None:
            docs = replay.copies(pages, measured.docs, hosts, 0, articles, args.per_feed)
            log(f"Elasticsearch bulk of {len(docs)} articles into {url}")
            try:
                figures = elastic.bulk(url, docs, STORE_BATCH)
            except Exception as exc:  # a node failing mid-way is reported; it must not hide the other figures
                out["elasticsearch"]["error"] = f"{type(exc).__name__}: {exc}"
            else:
                out["elasticsearch"].update(figures)
                out["es_bulk_docs_per_s"] = figures["docs_per_s"]
                out["stages"]["store_elasticsearch"] = figures["per_article"]

        # 5. Alert latency through the real daemon.
        out["alert_latency_s"] = None
        if not args.no_latency:
            alerting = latency.distinct_alerting(measured.alert_prints, samples + 1)
            log(f"alert latency: poll interval {poll} s, {samples} sample(s)")
            out["alert_latency"] = latency.measure(pages, alerting, args.watchlist, workdir / "latency", poll, samples,
                                                   args.workers, args.seed, log)
            out["alert_latency_s"] = out["alert_latency"].get("max_s")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    out["targets"] = _targets(out, poll)
    out["machine"]["load_after"] = os.getloadavg()
    out["seconds"] = rnd(time.perf_counter() - began, 1)
    return out


def _ten_k(args: argparse.Namespace, pages: list[corpus.Page], docs: dict, hosts: list[str], articles: int,
           workdir: Path, settings_for: Any, watched: set[str]) -> dict[str, Any]:
    from pipeline.config import load_settings

    distinct = len(pages)
    data_dir = workdir / "10k"
    filler = args.large - articles
    settings = load_settings(None, **settings_for(data_dir, [], 1))
    log(f"10k point: pre-filling the store with {filler} articles")
    filled = replay.prefill(settings.store_path, pages, docs, hosts, articles, filler, args.per_feed,
                            STORE_BATCH, settings.rules, watched, settings.smtp.default_recipients)
    # A window starting at a multiple of the page count: the same mix of pages as the 1k run.
    first = distinct * 1000
    feeds = corpus.feed_set(hosts, first, articles, args.per_feed)
    log(f"10k point: {articles} new articles end to end, {args.workers} workers")
    result = e2e.launch({"settings": settings_for(data_dir, feeds, args.workers)}, workdir, "10k")
    summary = _e2e_summary(result, articles)
    summary["prefilled_articles"] = filled["articles"]
    summary["prefill_store_ms_per_article"] = {
        "first": rnd(filled["store_ms_per_article_first"], 2), "last": rnd(filled["store_ms_per_article_last"], 2),
        "window": filled["window"],
    }
    log(f"  {summary['articles_per_s']} articles/s at 10k")
    return summary


def _targets(out: dict[str, Any], poll: int) -> dict[str, Any]:
    targets = {}
    for key, (op, bound) in TARGETS.items():
        limit = poll + 30 if key == "alert_latency_s" else bound
        value = out.get(key)
        met = None if value is None else (value >= limit if op == ">=" else value <= limit)
        targets[key] = {"target": f"{op} {limit}", "value": value, "met": met}
    return targets


def _summary(out: dict[str, Any]) -> str:
    lines = ["newswatch benchmark (" + out["mode"] + f", {out['articles']} articles)"]
    for key, target in out["targets"].items():
        mark = {True: "ok", False: "MISS", None: "n/a"}[target["met"]]
        lines.append(f"  {key:<24} {target['value']!s:>10}   target {target['target']:<10} {mark}")
    for name, figures in out["stages"].items():
        if figures and "articles_per_s" in figures:
            lines.append(f"  stage {name:<18} {figures['articles_per_s']!s:>10} /s   p50 {figures['p50_ms']} ms"
                         f"   p95 {figures['p95_ms']} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = run(args)
    if args.workdir is not None:
        (args.workdir / "result.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    print(_summary(out), flush=True)
    print(json.dumps(out, separators=(",", ":")), flush=True)
    return 0
