#!/usr/bin/env python3
"""Write pipeline/lexicons/given_names.tsv: common given names, and the gender those that say one say.

Coreference needs to know that "la ministre" is not Richard Ferrand and that "she said" does not
take up John Kirby; the linker, that "Melania Trump" is not Donald Trump. The source is
nomquamgender (Van Buskirk et al. 2022, MIT licence, the text of which ships as
given_names.LICENSE): 720,000 given names from many countries, each with the share of its
bearers who are women. Names with 500 bearers or more are kept; those nearly always of one
gender (at most 5 % of the other) are marked F or M, the others "?" ("Jean", "Andrea", "Kim",
"Xi": given names that say no gender). The file is committed; this script is how it was made,
from the package's wheel on PyPI:

    pip download --no-deps nomquamgender==0.1.4 -d /tmp/nqg
    python scripts/gen-given-names.py /tmp/nqg/nomquamgender-0.1.4-py3-none-any.whl
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "lexicons" / "given_names.tsv"
MIN_BEARERS = 500
MAX_OTHER = 0.05


def main(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        data = json.loads(archive.read("nomquamgender/name_data.json"))
    rows = sorted(
        (name, "F" if share >= 1 - MAX_OTHER else "M" if share <= MAX_OTHER else "?")
        for name, (_, bearers, share, *_) in data.items()
        if bearers >= MIN_BEARERS and re.fullmatch(r"[a-z][a-z'-]+", name)
    )
    header = (f"# Given names with {MIN_BEARERS} bearers or more, from nomquamgender 0.1.4 (MIT, see\n"
              f"# given_names.LICENSE), with the gender nearly all their bearers have (F, M: at most\n"
              f"# {MAX_OTHER:.0%} of the other), else ?; made by scripts/gen-given-names.py.\n")
    OUT.write_text(header + "".join(f"{name}\t{gender}\n" for name, gender in rows), encoding="utf-8")
    print(f"{len(rows)} names written to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
