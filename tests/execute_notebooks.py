"""Re-execute every notebook under book/ in place, in a fresh kernel, top to bottom.

The book renders the stored outputs and `pytest --nbval` checks that they
reproduce; run this (``make execute``) after changing a notebook or the code it
uses. Timing metadata is not recorded, so re-running an unchanged notebook
leaves its file unchanged.
"""

from __future__ import annotations

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]


def notebooks(paths: list[str]) -> list[pathlib.Path]:
    if paths:
        return [pathlib.Path(p).resolve() for p in paths]
    return sorted(p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def execute(path: pathlib.Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    total = 0.0
    for path in notebooks(sys.argv[1:]):
        seconds = execute(path)
        total += seconds
        print(f"{seconds:7.1f} s  {path.relative_to(ROOT)}")
    print(f"{total:7.1f} s  total")
