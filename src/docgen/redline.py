"""A Word redline between two versions of a document docgen made: the new DOCX with the changes
from the old one as real tracked changes (w:ins / w:del), so Word's "Accept all" gives the new
text and "Reject all" the old.

Why our own, paragraph by paragraph and cell by cell: a compare of whole documents (LibreOffice's,
Word's) shows a changed table as one block deleted and one inserted. Both versions come from
one template, so their paragraphs line up: paragraphs are matched first (every paragraph of the
body, table cells included, in document order), then each changed paragraph is compared by
tokens (a number such as 1,200.00 or 20%, an amount in 大写, a Latin word, one Chinese
character), so "500.00" → "800.00" is one deletion and one insertion, and the formatting of the
new document is kept.
"""

from __future__ import annotations

import copy
import re
import zipfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from io import BytesIO

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
BODY_PART = "word/document.xml"
TOKEN = re.compile(r"[¥￥]?\d[\d,]*(?:\.\d+)?%?|[A-Za-z]+|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+|\s+|.", re.S)


@dataclass
class Redline:
    docx: bytes
    insertions: int
    deletions: int

    @property
    def changes(self) -> int:
        return self.insertions + self.deletions


class _Marks:
    """Makes w:ins / w:del elements with unique ids, one author and one time."""

    def __init__(self, author: str, when: str) -> None:
        self.author, self.when, self.next_id = author, when, 90000
        self.insertions = self.deletions = 0

    def mark(self, tag: str) -> etree._Element:
        el = etree.Element(f"{_W}{tag}")
        el.set(f"{_W}id", str(self.next_id))
        el.set(f"{_W}author", self.author)
        el.set(f"{_W}date", self.when)
        self.next_id += 1
        if tag in ("ins", "del"):
            if tag == "ins":
                self.insertions += 1
            else:
                self.deletions += 1
        return el


def _paragraphs(root: etree._Element) -> list[etree._Element]:
    body = root.find(f"{_W}body")
    return [] if body is None else list(body.iter(f"{_W}p"))


def paragraph_text(p: etree._Element) -> str:
    """The text of a paragraph as a reader sees it (deleted text left out)."""
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def _runs(p: etree._Element) -> list[etree._Element]:
    """The runs of a paragraph that carry its text (directly, or inside a hyperlink or a smart tag)."""
    return [r for r in p.iter(f"{_W}r") if r.getparent() is p or r.getparent().tag in (
        f"{_W}hyperlink", f"{_W}smartTag", f"{_W}fldSimple")]


def _rpr(run: etree._Element | None) -> etree._Element | None:
    found = run.find(f"{_W}rPr") if run is not None else None
    return copy.deepcopy(found) if found is not None else None


def _text_run(rpr: etree._Element | None, text: str, deleted: bool = False) -> etree._Element:
    run = etree.Element(f"{_W}r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, f"{_W}delText" if deleted else f"{_W}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _mark_paragraph(p: etree._Element, tag: str, marks: _Marks) -> None:
    """Mark the paragraph's own mark (its end) as inserted or deleted."""
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        ppr = etree.Element(f"{_W}pPr")
        p.insert(0, ppr)
    rpr = ppr.find(f"{_W}rPr")
    if rpr is None:
        rpr = etree.SubElement(ppr, f"{_W}rPr")
    rpr.append(marks.mark(tag))


def _wrap_runs(p: etree._Element, tag: str, marks: _Marks) -> None:
    """Every run of `p` inside one w:ins or w:del (text turned into w:delText for a deletion)."""
    for run in _runs(p):
        if tag == "del":
            for t in run.iter(f"{_W}t"):
                t.tag = f"{_W}delText"
            for t in run.iter(f"{_W}instrText"):
                t.tag = f"{_W}delInstrText"
        parent = run.getparent()
        wrapper = marks.mark(tag)
        parent.replace(run, wrapper)
        wrapper.append(run)


def _inserted(p: etree._Element, marks: _Marks) -> None:
    if paragraph_text(p) or _runs(p):
        _wrap_runs(p, "ins", marks)
    _mark_paragraph(p, "ins", marks)


def _deleted_copy(p: etree._Element, marks: _Marks) -> etree._Element:
    old = copy.deepcopy(p)
    for drop in old.findall(f".//{_W}drawing"):  # pictures of the old version are not carried over
        drop.getparent().remove(drop)
    _wrap_runs(old, "del", marks)
    _mark_paragraph(old, "del", marks)
    return old


def _pieces(old: str, new: str) -> list[tuple[str, str]]:
    """('=' | '+' | '-', text) pieces turning `old` into `new`, by tokens."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def _redline_paragraph(p: etree._Element, old_text: str, marks: _Marks) -> None:
    """Rewrite the runs of `p` (the new version) so its changes from `old_text` are tracked."""
    pieces = _pieces(old_text, paragraph_text(p))
    runs = _runs(p)
    queue = list(pieces)
    last_rpr: etree._Element | None = None

    def deletions_here(rpr: etree._Element | None) -> list[etree._Element]:
        out = []
        while queue and queue[0][0] == "-":
            wrapper = marks.mark("del")
            wrapper.append(_text_run(rpr, queue.pop(0)[1], deleted=True))
            out.append(wrapper)
        return out

    for run in runs:
        rpr = _rpr(run)
        last_rpr = rpr
        parent = run.getparent()
        made: list[etree._Element] = []
        for child in list(run):
            if child.tag == f"{_W}rPr":
                continue
            if child.tag != f"{_W}t":
                holder = etree.Element(f"{_W}r")
                if rpr is not None:
                    holder.append(copy.deepcopy(rpr))
                holder.append(child)
                made.append(holder)
                continue
            text = child.text or ""
            while text:
                made += deletions_here(rpr)
                if not queue:  # cannot happen: the pieces cover the new text
                    made.append(_text_run(rpr, text))
                    break
                op, piece = queue[0]
                take = piece[:len(text)]
                rest = piece[len(take):]
                if rest:
                    queue[0] = (op, rest)
                else:
                    queue.pop(0)
                text = text[len(take):]
                if op == "=":
                    made.append(_text_run(rpr, take))
                else:
                    wrapper = marks.mark("ins")
                    wrapper.append(_text_run(rpr, take))
                    made.append(wrapper)
            made += deletions_here(rpr) if run is runs[-1] else []
        index = parent.index(run)
        parent.remove(run)
        for offset, el in enumerate(made):
            parent.insert(index + offset, el)
    if queue:  # text deleted at the end (or a paragraph whose runs are all gone)
        for op, piece in queue:
            if op == "-":
                wrapper = marks.mark("del")
                wrapper.append(_text_run(last_rpr, piece, deleted=True))
                p.append(wrapper)


def compare(old_docx: bytes, new_docx: bytes, *, author: str = "docgen", when: str = "2026-01-01T00:00:00Z") -> Redline:
    """The new document with its changes from the old one tracked."""
    with zipfile.ZipFile(BytesIO(old_docx)) as z:
        old_root = etree.fromstring(z.read(BODY_PART))
    with zipfile.ZipFile(BytesIO(new_docx)) as z:
        names = z.infolist()
        parts = {i.filename: z.read(i.filename) for i in names}
    new_root = etree.fromstring(parts[BODY_PART])
    old_ps, new_ps = _paragraphs(old_root), _paragraphs(new_root)
    old_texts, new_texts = [paragraph_text(p) for p in old_ps], [paragraph_text(p) for p in new_ps]
    marks = _Marks(author, when)
    inserts: list[tuple[int, etree._Element]] = []  # (index of the new paragraph it goes before, old copy)
    matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            _redline_paragraph(new_ps[j1 + k], old_texts[i1 + k], marks)
        for k in range(j1 + paired, j2):
            _inserted(new_ps[k], marks)
        for k in range(i1 + paired, i2):
            inserts.append((j2, _deleted_copy(old_ps[k], marks)))
    tail = new_ps[-1] if new_ps else None
    for before, old_p in inserts:  # in order: each goes just before its anchor, after the ones before it
        if before < len(new_ps):
            new_ps[before].addprevious(old_p)
        elif tail is not None:
            tail.addnext(old_p)
            tail = old_p
    parts[BODY_PART] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in names:
            z.writestr(info, parts[info.filename])
    return Redline(buf.getvalue(), marks.insertions, marks.deletions)


def accept_all(docx: bytes) -> list[str]:
    """The paragraph texts after Word's "Accept all changes" (for checks)."""
    return _resolve(docx, keep="ins", drop="del")


def reject_all(docx: bytes) -> list[str]:
    """The paragraph texts after "Reject all changes"."""
    return _resolve(docx, keep="del", drop="ins")


def _resolve(docx: bytes, *, keep: str, drop: str) -> list[str]:
    with zipfile.ZipFile(BytesIO(docx)) as z:
        root = etree.fromstring(z.read(BODY_PART))
    out = []
    for p in _paragraphs(root):
        mark = p.find(f"{_W}pPr/{_W}rPr/{_W}{drop}")
        content = copy.deepcopy(p)
        for el in list(content.iter(f"{_W}{drop}")):
            parent = el.getparent()
            if parent is not None and parent.tag != f"{_W}rPr":
                parent.remove(el)
        text = "".join((t.text or "") for t in content.iter(f"{_W}t", f"{_W}delText"))
        if mark is not None:  # the paragraph itself goes: its remaining text joins the next one
            if text:
                out.append(("join", text))
            continue
        out.append(("p", text))
    merged: list[str] = []
    carry = ""
    for kind, text in out:
        if kind == "join":
            carry += text
            continue
        merged.append(carry + text)
        carry = ""
    if carry:
        merged.append(carry)
    return merged


def texts(docx: bytes) -> list[str]:
    """The paragraph texts of a DOCX without tracked changes."""
    with zipfile.ZipFile(BytesIO(docx)) as z:
        root = etree.fromstring(z.read(BODY_PART))
    return [paragraph_text(p) for p in _paragraphs(root)]
