"""Fetch stage: feeds and pages over a guarded HTTP client."""
