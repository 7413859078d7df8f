"""The errata data, its executable checks, and the correction boxes of the book agree."""

import importlib.util
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
_spec = importlib.util.spec_from_file_location("errata_tools", BOOK / "appendix" / "errata_tools.py")
errata_tools = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(errata_tools)

ENTRIES = errata_tools.load()
BOX = re.compile(r"```\{admonition\}\s*Correction\b([^\n]*)\n:class:\s*correction")
ERRATA_ID = re.compile(r"\b00[0-4]-\d+\b")


def _markdown_of(path: pathlib.Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def _correction_boxes() -> dict[str, set[str]]:
    """Errata ids named in the title of each correction box, by document."""
    boxes = {}
    for path in sorted(BOOK.rglob("*")):
        if path.suffix not in {".md", ".ipynb"} or ".ipynb_checkpoints" in path.parts:
            continue
        doc = str(path.relative_to(ROOT).with_suffix(""))
        for title in BOX.findall(_markdown_of(path)):
            boxes.setdefault(doc, set()).update(ERRATA_ID.findall(title))
    return boxes


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_errata_check_runs_and_passes(entry):
    shown = errata_tools.run_check(entry)
    assert shown.strip()


def test_errata_ids_are_unique():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))


def test_every_correction_box_names_an_errata_entry():
    known = {e["id"] for e in ENTRIES}
    for doc, ids in _correction_boxes().items():
        # The preface shows the box style once, with no id.
        if doc == "book/intro":
            continue
        assert ids, f"{doc}: a correction box without an errata id in its title"
        assert ids <= known, f"{doc}: boxes name ids missing from errata.yml: {sorted(ids - known)}"


def test_every_errata_entry_has_its_box_where_it_says():
    boxes = _correction_boxes()
    for entry in ENTRIES:
        doc = entry["corrected_in"]
        assert (ROOT / f"{doc}.ipynb").exists() or (ROOT / f"{doc}.md").exists(), doc
        assert entry["id"] in boxes.get(doc, set()), f"{entry['id']}: no correction box in {doc}"


def test_errata_page_shows_every_entry_with_a_passed_check():
    page = json.loads((BOOK / "appendix" / "errata.ipynb").read_text(encoding="utf-8"))
    rendered = "".join(
        "".join(output.get("data", {}).get("text/markdown", ""))
        for cell in page["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )
    for entry in ENTRIES:
        assert f"**{entry['id']}** ·" in rendered, f"{entry['id']} missing from the stored errata page"
