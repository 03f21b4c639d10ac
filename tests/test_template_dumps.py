"""A text dump of every template, tags included, kept in git beside the tests: a wording change in
a lawyer's template shows in review as a text diff. Refresh with --update-golden after an edit."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import TEMPLATES
from lxml import etree

from docgen.plan import KINDS

GOLDEN = Path(__file__).parent / "golden" / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def dump(template: Path) -> str:
    """Paragraphs and table rows (cells joined by ' | ') of the body in document order, then the
    headers and footers; bold runs in **…**; whitespace inside a paragraph kept as written."""
    out: list[str] = []

    def paragraph(p: etree._Element) -> str:
        parts = []
        for run in p.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            bold = run.find(f"{W}rPr/{W}b")
            strong = bold is not None and bold.get(f"{W}val") not in ("0", "false")
            parts.append(f"**{text}**" if strong and text else text)
        return "".join(parts)

    def walk(parent: etree._Element) -> None:
        for child in parent:
            if child.tag == f"{W}p":
                out.append(paragraph(child))
            elif child.tag == f"{W}tbl":
                for row in child.iter(f"{W}tr"):
                    out.append(" | ".join("\n".join(paragraph(p) for p in cell.iter(f"{W}p"))
                                          for cell in row.iter(f"{W}tc")))
                out.append("")

    with zipfile.ZipFile(template) as z:
        walk(etree.fromstring(z.read("word/document.xml")).find(f"{W}body"))
        for name in sorted(n for n in z.namelist() if n.startswith(("word/header", "word/footer"))):
            out.append(f"--- {name.removeprefix('word/')}")
            walk(etree.fromstring(z.read(name)))
    return "\n".join(out).rstrip() + "\n"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_template_text_dump(kind: str, request: pytest.FixtureRequest) -> None:
    template = KINDS[kind].template_in(TEMPLATES)
    text = dump(template)
    path = GOLDEN / f"{Path(KINDS[kind].template).stem}.txt"
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), "golden file missing: run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), f"{template} changed: review, then refresh with --update-golden"
