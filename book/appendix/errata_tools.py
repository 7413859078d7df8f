"""Load the errata data (``errata.yml``) and run each entry's executable check.

Used by the errata appendix (``errata.ipynb``) and by ``tests/test_errata.py``,
so the book shows exactly what the test suite proves.
"""

from __future__ import annotations

import math
import pathlib
import re

import numpy as np
import yaml
from mpmath import mp

import kl

HERE = pathlib.Path(__file__).resolve().parent
ERRATA_FILE = HERE / "errata.yml"
BIB_FILE = HERE.parent / "references.bib"
FIELDS = ("id", "seed", "section", "severity", "claim", "correction", "corrected_in", "check")
SEEDS = {
    "000": "000_304f01bd962c7164.txt",
    "001": "001_b7f8dc73c1ae5f8c.txt",
    "002": "002_20688779a102583d.txt",
    "003": "003_2e267ba2fedf4066.txt",
    "004": "004_94f3c00191c2c757.txt",
}
SEVERITY = {"H": "serious", "M": "misleading", "L": "minor"}


def load(path: pathlib.Path = ERRATA_FILE) -> list[dict]:
    """The errata entries, in file order, with their fields checked."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        missing = [f for f in FIELDS if f not in entry]
        if missing:
            raise ValueError(f"errata entry {entry.get('id')!r}: missing field(s) {missing}")
        if not re.fullmatch(r"00[0-4]-\d+", entry["id"]):
            raise ValueError(f"errata entry {entry['id']!r}: id must look like 000-4")
        if SEEDS[entry["id"][:3]] != entry["seed"]:
            raise ValueError(f"errata entry {entry['id']}: seed file does not match the id")
        if entry["severity"] not in SEVERITY:
            raise ValueError(f"errata entry {entry['id']}: severity must be one of {list(SEVERITY)}")
    return entries


def bib_entry(key: str) -> dict:
    """Fields of one entry of the book's bibliography (for bibliographic checks)."""
    from pybtex.database import parse_file

    entry = parse_file(str(BIB_FILE)).entries[key]
    fields = {k.lower(): str(v) for k, v in entry.fields.items()}
    fields["authors"] = [str(person) for person in entry.persons.get("author", [])]
    return fields


def run_check(entry: dict) -> str:
    """Execute one entry's check; it must assert what it claims and set ``shown``.

    Returns the ``shown`` text (the values the check computed). Raises whatever
    the check raises, so a failing check is a failing test.
    """
    namespace = {"kl": kl, "np": np, "math": math, "mp": mp, "bib_entry": bib_entry}
    with mp.workdps(50):
        exec(compile(entry["check"], f"<errata {entry['id']}>", "exec"), namespace)
    if "shown" not in namespace:
        raise AssertionError(f"errata {entry['id']}: the check must set `shown`")
    return str(namespace["shown"])
