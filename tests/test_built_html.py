"""The built book (``_build/html``, made by ``make test`` before pytest runs) works offline."""

import pathlib
import re

import pytest
from reference import kl_mp

ROOT = pathlib.Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
REMOTE_ASSET = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"'](?:https?:)?//", re.IGNORECASE
)
REMOTE_CSS = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*[\"']?(?:https?:)?//", re.IGNORECASE)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pages():
    assert (HTML / "index.html").exists(), "build the book first: make book (make test does it)"
    return sorted(HTML.rglob("*.html"))


def test_no_page_loads_a_script_stylesheet_or_image_from_the_internet(pages):
    offenders = []
    for page in pages:
        for match in REMOTE_ASSET.finditer(page.read_text(encoding="utf-8")):
            tag = match.group(0)
            # <link rel="canonical"> and plain hyperlinks are not loads.
            if (
                tag.lower().startswith("<link")
                and "stylesheet" not in tag.lower()
                and "preload" not in tag.lower()
            ):
                continue
            offenders.append(f"{page.relative_to(HTML)}: {tag}")
    assert not offenders, offenders


def test_no_stylesheet_imports_from_the_internet():
    offenders = [
        str(css.relative_to(HTML))
        for css in HTML.rglob("*.css")
        if REMOTE_CSS.search(css.read_text(errors="ignore"))
    ]
    assert not offenders, offenders


def test_math_is_typeset_by_a_local_mathjax(pages):
    definition = HTML / "book" / "foundations" / "definition.html"
    text = definition.read_text(encoding="utf-8")
    src = re.search(r"<script[^>]*src=\"([^\"?]*tex-chtml\.js)[^\"]*\"", text)
    assert src, "no MathJax script on the Definition page"
    assert (definition.parent / src.group(1)).resolve().is_file()
    # MathJax loads its CHTML fonts relative to the script.
    assert any((HTML / "_static" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff"))
    assert "\\log" in text  # the TeX source is on the page for MathJax to typeset


def test_glued_numbers_are_rendered_in_the_prose():
    text = (HTML / "book" / "foundations" / "definition.html").read_text(encoding="utf-8")
    # The corrected value of seed 000 section 4.3, inserted by glue; the reference
    # is mpmath's, so the page, the notebook and the mathematics must agree.
    expected = f"{float(kl_mp([0.5, 0.5], [0.3, 0.7])):.7f}"
    assert expected in text
    assert "No key" not in text


def test_errata_page_renders_entries_with_links_to_chapters():
    text = (HTML / "book" / "appendix" / "errata.html").read_text(encoding="utf-8")
    assert "<strong>000-4</strong>" in text
    assert 'href="../foundations/definition.html"' in text
