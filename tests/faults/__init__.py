"""The fault suite: hostile input, SSRF, outages, replays and bad configuration (issue 7).

Each module runs one scenario of :mod:`pipeline.selftest` against real servers on 127.0.0.1 and
asserts its judgements case by case; ``newswatch selftest`` prints the same scenarios as figures.
"""
