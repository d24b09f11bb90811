"""Scenario "config": invalid configuration, watchlist and rule files through the real CLI: exit
code 2, a message naming the file and the field, nothing written (tests/test_config.py checks the
loader; this checks what the operator sees, command by command)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.selftest import badconfig
from pipeline.selftest.badconfig import CASES, BadConfig


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}-{c.name}" for c in CASES])
def test_bad_file_exits_2_names_file_and_field_and_writes_nothing(tmp_path: Path, case: BadConfig) -> None:
    for outcome in badconfig.run_case(case, tmp_path):
        assert outcome.crashed is None, outcome.crashed
        assert outcome.exit_code == 2, f"{outcome.command}: exit {outcome.exit_code}\n{outcome.output}"
        assert outcome.written == [], f"{outcome.command} wrote {outcome.written}"
        assert badconfig.judge(case, outcome) == "", outcome.output


def test_every_file_kind_is_covered() -> None:
    assert {case.kind for case in CASES} == {"config", "watchlist", "rules", "lexicon"}
