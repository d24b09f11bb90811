"""Benchmarks of newswatch: throughput per stage and end to end, the libraries-alone limit,
scaling over processes and store size, memory, and feed-to-inbox alert latency.

``python -m benchmarks`` (or ``newswatch bench``) runs everything against real parts: the real
pages of ``../shared/corpora/extraction`` served over HTTP from 127.0.0.1, the real pipeline in
subprocesses, a real SMTP server. The last line of its output is one JSON object; see
``benchmarks/README.md`` for what each figure means and how it is measured.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository: the benchmarks run the pipeline of the checkout they sit in."""
