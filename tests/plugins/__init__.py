"""Pytest plugins shared by the test modules (listed in tests/conftest.py ``pytest_plugins``)."""
