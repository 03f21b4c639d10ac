"""Trace an output back to the data, template and policy that made it, and check it still matches.

Why: legal must be able to show that a signed contract corresponds to the records. Every DOCX
and PDF docgen makes carries `docgen; <document>; inputs <digest>` in its keywords; the digest
covers the hashes of exactly the records, template, policy sections and tool versions it was
made from. Recomputing that digest from the current data says whether the file is still what
the data would produce; the manifest, when at hand, says which input differs and whether the
file itself was altered after it was made. A file away from its build (sent by e-mail, archived)
is checked by making its document again from the current data and comparing the bytes, which
are the same for the same inputs. A bundle records each member's pages and inputs; each member
is checked against its document.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .bundle import BUNDLE_KEY
from .errors import DocgenError, OutputError
from .i18n import _, ngettext
from .manifest import (
    MANIFEST_NAME,
    Manifest,
    OutputRecord,
    changed_inputs,
    inputs_digest,
    page_text_hashes,
    parse_provenance,
    sha256,
)

if TYPE_CHECKING:
    from . import models as m
    from .plan import Job
    from .project import Project


ALTERED = "ALTERED"  # the verdict word scripts look for in `docgen verify`'s output: never translated


def _altered(what: str) -> str:
    """The content verdict of an altered file (or bundle member): the token ALTERED, then what differs."""
    # TRANSLATORS: {altered} is the word ALTERED, kept in English for scripts; keep it first
    return _("{altered}: {what}").format(altered=ALTERED, what=what)


@dataclass
class Verdict:
    """What `docgen verify` found out about one file.

    `state` says what the content check found, in words that do not depend on the language:
    "unchecked", "identical", "page texts" (identical page texts, bytes differ), "altered",
    "not compared", "not recorded"; `content` says it to the reader."""

    file: Path
    document: str
    policy_version: str = ""
    template: str = ""
    matches_data: bool = False
    changed: list[str] = field(default_factory=list)
    content: str = field(default_factory=lambda: _("not checked (no manifest found)"))
    members: list[str] = field(default_factory=list)
    state: str = "unchecked"

    @property
    def altered(self) -> bool:
        """The file (or a bundle member's pages) differs from what was made."""
        return self.state == "altered"

    @property
    def ok(self) -> bool:
        """The file is what the current data makes, unaltered."""
        return self.matches_data and not self.altered

    def lines(self) -> list[str]:
        out = [f"{self.file}: {self.document}"]
        if self.template:
            out.append("  " + _("template: {template}").format(template=self.template))
        if self.policy_version:
            out.append("  " + _("policy version now: {version}").format(version=self.policy_version))
        if self.matches_data:
            out.append("  " + _("matches what the current data, template and policy produce"))
        else:
            out.append("  " + _("DOES NOT match what the current data would produce"))
            out += [f"    {c}" for c in self.changed]
        out.append("  " + _("file content: {content}").format(content=self.content))
        out += [f"    {m}" for m in self.members]
        return out


def keywords_of(path: Path) -> tuple[str, bytes]:
    """The provenance a DOCX or PDF carries, and the file's bytes: its custom property (DOCX
    docProps/custom.xml, PDF /DocgenProvenance), or for a file made by an earlier docgen, its
    keywords."""
    from .pdfpost import PROVENANCE_KEY

    data = _read(path)
    if data.startswith(b"%PDF-"):
        info = _pdf_metadata(path, data)
        return str(info.get(PROVENANCE_KEY) or info.get("/Keywords", "") or ""), data
    if zipfile.is_zipfile(BytesIO(data)):
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError

        from .render import PROVENANCE_PROPERTY, custom_property

        try:
            kept = custom_property(data, PROVENANCE_PROPERTY)
            return kept or Document(BytesIO(data)).core_properties.keywords or "", data
        except (KeyError, ValueError, PackageNotFoundError, zipfile.BadZipFile) as e:
            raise DocgenError(_("{path}: a ZIP file but not a DOCX document ({error}); docgen verifies the DOCX "
                                "and PDF files it made").format(path=path, error=e)) from e
    raise DocgenError(_("{path}: not a DOCX or PDF file").format(path=path))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DocgenError(_("{path}: cannot be read ({reason})").format(path=path, reason=e.strerror)) from e


def _pdf_metadata(path: Path, data: bytes) -> dict[str, object]:
    try:
        return dict(PdfReader(BytesIO(data)).metadata or {})
    except (PyPdfError, ValueError, KeyError, OSError) as e:
        raise DocgenError(_("{path}: not a readable PDF ({error})").format(path=path, error=e)) from e


def _manifest_for(path: Path) -> tuple[Manifest, Path] | None:
    for folder in [path.parent, *path.parents]:
        if (folder / MANIFEST_NAME).is_file():
            try:
                return Manifest.load(folder), folder
            except OutputError:
                return None  # written by another docgen version: compare by making the file again
    return None


def verify(path: Path, project: Project) -> Verdict:
    """Check `path` against the current data, templates and tools of `project`."""
    from .plan import job_inputs
    from .versions import tools_fingerprint

    raw = _read(path)
    if raw.startswith(b"%PDF-") and BUNDLE_KEY in _pdf_metadata(path, raw):
        return verify_bundle(path, raw, project)
    keywords, data = keywords_of(path)
    found = parse_provenance(keywords)
    if found is None:
        raise DocgenError(_("{path}: carries no docgen provenance (keywords: {keywords!r}); was it made by docgen?")
                          .format(path=path, keywords=keywords))
    job_id, digest = found
    dataset = project.validate()
    jobs = {j.id: j for j in project.documents(dataset)}
    verdict = Verdict(path, job_id, policy_version=dataset.policy.version)
    job = jobs.get(job_id)
    if job is None:
        verdict.changed.append(_("the current data no longer calls for {document}").format(document=job_id))
        return verdict
    verdict.template = f"{job.template.parent.name}/{job.template.name}"
    current = job_inputs(job, tools_fingerprint(project.settings))
    verdict.matches_data = inputs_digest(current).startswith(digest)
    if not verdict.matches_data and not data.startswith(b"%PDF-"):
        # a DOCX made without its PDF (render --format docx) was stamped without LibreOffice's and
        # the fonts' versions, which shape only the PDF
        docx_only = job_inputs(job, tools_fingerprint(project.settings, pdf=False))
        if inputs_digest(docx_only).startswith(digest):
            verdict.matches_data, current = True, docx_only
    at_hand = _manifest_for(path)
    if at_hand is not None:
        manifest, root = at_hand
        entry = manifest.outputs.get(job_id)
        if entry is not None:
            if inputs_digest(entry.inputs).startswith(digest):
                verdict.changed = [_("{input} changed since the file was made").format(input=label)
                                   for label in changed_inputs(entry.inputs, current)]
            verdict.state, verdict.content = _content(path, data, entry, root)
    if not verdict.matches_data and not verdict.changed:
        verdict.changed.append(_("inputs differ (no manifest of this build at hand to say which)"))
    if verdict.state not in ("identical", "altered", "page texts"):
        if verdict.matches_data:
            made = remake(job, dataset, project, pdf=data.startswith(b"%PDF-"), inputs=current)
            if made == data:
                verdict.state = "identical"
                verdict.content = _("identical to the document the current data makes (made again to compare)")
            else:
                verdict.state, verdict.content = "altered", _altered(describe_difference(data, made))
        else:
            verdict.state = "not compared"
            verdict.content = _("not compared: the inputs changed since the file was made, so it cannot be made "
                                "again as it was")
    return verdict


def remake(job: Job, dataset: m.Dataset, project: Project, *, pdf: bool,
           inputs: dict[str, str] | None = None) -> bytes:
    """The DOCX (or PDF) bytes that a build makes of `job` from `dataset` now (`inputs`: the
    input hashes to stamp it with, by default those of a build that makes the PDF too)."""
    import shutil

    from .build import properties_for
    from .convert import convert_one
    from .manifest import provenance
    from .outputs import work_dir
    from .plan import job_inputs
    from .render import render_docx
    from .versions import tools_fingerprint

    inputs = inputs or job_inputs(job, tools_fingerprint(project.settings))
    docx = render_docx(job.template, job.build_context(),
                       properties_for(job, dataset.client.name, provenance(job.id, inputs)))
    if not pdf:
        return docx
    from .pdfpost import with_provenance

    folder = work_dir("verify")
    try:
        (folder / "document.docx").write_bytes(docx)
        return with_provenance(convert_one(folder / "document.docx", project.settings), provenance(job.id, inputs))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _page_texts(data: bytes) -> list[str]:
    from .fidelity import _squash, pdf_pages

    if not data.startswith(b"%PDF-"):
        from .render import docx_text_parts

        return [_squash("".join(docx_text_parts(data).values()))]
    return [_squash(p) for p in pdf_pages(data)]


def describe_difference(found: bytes, made: bytes) -> str:
    """Where a file differs from the document made again: page count, first differing page."""
    kind = "PDF" if found.startswith(b"%PDF-") else "DOCX"
    a, b = _page_texts(found), _page_texts(made)
    if kind == "PDF" and len(a) != len(b):
        first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
        return ngettext("the file has {found} page, the document {made}; they differ from page {page} on "
                        "(the document's page {page} begins 「{start}」)",
                        "the file has {found} pages, the document {made}; they differ from page {page} on "
                        "(the document's page {page} begins 「{start}」)", len(a)).format(
            found=len(a), made=len(b), page=first + 1, start=b[first][:30] if first < len(b) else "")
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            if kind == "PDF":
                return _("page {page} differs: {change}").format(page=i + 1, change=_first_change(x, y))
            return _("the text differs: {change}").format(change=_first_change(x, y))
    return _("the same text, but not the bytes of the {kind} the data makes (the file was rewritten)").format(
        kind=kind)


def _first_change(found: str, made: str) -> str:
    from difflib import SequenceMatcher

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, found, made, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            return _("the file has 「{found}」 where the document has nothing").format(found=found[i1:i2][:30])
        if tag == "insert":
            return _("the file lacks 「{made}」").format(made=made[j1:j2][:30])
        return _("the file has 「{found}」 where the document has 「{made}」").format(
            found=found[i1:i2][:30], made=made[j1:j2][:30])
    return _("only in spacing")


def verify_bundle(path: Path, data: bytes, project: Project) -> Verdict:
    """Check each member of a bundle: does the current data still make it, and do the bundle's
    pages for it say what the document says (the page stamps aside)."""
    import json

    from .plan import job_inputs
    from .versions import tools_fingerprint

    try:
        record = json.loads(str(_pdf_metadata(path, data)[BUNDLE_KEY]))
        members = list(record["members"])
    except (ValueError, KeyError, TypeError) as e:
        raise DocgenError(_("{path}: its bundle record is damaged ({error})").format(path=path, error=e)) from e
    dataset = project.validate()
    jobs = {j.id: j for j in project.documents(dataset)}
    tools = tools_fingerprint(project.settings)
    pages = _page_texts(data)
    described = ngettext("bundle:{bundle} ({n} document)", "bundle:{bundle} ({n} documents)", len(members))
    verdict = Verdict(path, described.format(bundle=record.get("bundle", "?"), n=len(members)),
                      policy_version=dataset.policy.version, matches_data=True)
    at_hand = _manifest_for(path)
    altered = []
    for n, member in enumerate(members, start=1):
        first, count, job_id = int(member["first"]), int(member["pages"]), str(member["id"])
        label = _("{n}. {document} (pages {first}–{last})").format(n=n, document=job_id, first=first,
                                                                     last=first + count - 1)
        job = jobs.get(job_id)
        if job is None:
            verdict.matches_data = False
            verdict.members.append(_("{member}: the current data no longer calls for it").format(member=label))
            continue
        current = inputs_digest(job_inputs(job, tools)) == member.get("digest")
        reference = None
        if at_hand is not None:
            recorded = at_hand[1] / (job.output + ".pdf")
            if recorded.is_file() and sha256(recorded.read_bytes()) == member.get("sha256"):
                reference = recorded.read_bytes()
        if reference is None and current:
            reference = remake(job, dataset, project, pdf=True)
        if not current:
            verdict.matches_data = False
        if reference is None:
            verdict.members.append(_("{member}: the inputs changed since the bundle was made; pages not compared")
                                   .format(member=label))
            continue
        theirs = pages[first - 1:first - 1 + count]
        ours = _page_texts(reference)
        problem = ""
        if len(theirs) != len(ours):
            problem = ngettext("the bundle has {found} page of it, the document {made}",
                               "the bundle has {found} pages of it, the document {made}", len(theirs)).format(
                found=len(theirs), made=len(ours))
        else:
            bad = next((i for i, (t, o) in enumerate(zip(theirs, ours, strict=True)) if o not in t), None)
            if bad is not None:
                problem = _("page {page} differs: {change}").format(page=first + bad,
                                                                   change=_first_change(theirs[bad], ours[bad]))
        if problem:
            altered.append(_("{document}: {problem}").format(document=job_id, problem=problem))
            verdict.members.append(_("{member}: {verdict}").format(member=label, verdict=_altered(problem)))
        elif current:
            verdict.members.append(_("{member}: pages say what the document says; matches the current data")
                                   .format(member=label))
        else:
            verdict.members.append(_("{member}: pages say what the document says; made from inputs that have "
                                     "changed since").format(member=label))
    if len(pages) < max((int(m["first"]) + int(m["pages"]) - 1 for m in members), default=0):
        altered.append(ngettext("the bundle has {n} page, fewer than its members need",
                                "the bundle has {n} pages, fewer than its members need", len(pages)).format(
            n=len(pages)))
    if not verdict.matches_data:
        verdict.changed.append(_("some members were made from inputs that have changed (see below)"))
    if altered:
        verdict.state, verdict.content = "altered", _altered("; ".join(altered))
    else:
        verdict.state, verdict.content = "identical", _("every member's pages say what its document says")
    return verdict


def _content(path: Path, data: bytes, entry: OutputRecord, root: Path) -> tuple[str, str]:
    """The state of the file's content against the manifest's record (see Verdict), and its words."""
    inside = path.resolve().is_relative_to(root.resolve())
    rel = path.resolve().relative_to(root.resolve()).as_posix() if inside else ""
    recorded = entry.files.get(rel)
    if recorded == sha256(data):
        return "identical", _("identical to the file this build recorded")
    if data.startswith(b"%PDF-") and entry.pdf_page_text_sha256:
        # manifests of earlier versions, whose PDFs were not byte-repeatable
        pages = page_text_hashes(data)
        if pages == entry.pdf_page_text_sha256:
            return "page texts", _("page texts identical to the recorded PDF (bytes differ)")
        return "altered", _altered(_("page texts differ from the recorded PDF"))
    if recorded is not None:
        kind = "PDF" if data.startswith(b"%PDF-") else "DOCX"
        return "altered", _altered(_("differs from the recorded {kind}").format(kind=kind))
    if not data.startswith(b"%PDF-") and entry.docx_sha256:
        if entry.docx_sha256 == sha256(data):
            return "identical", _("identical to the recorded DOCX")
        return "altered", _altered(_("differs from the recorded {kind}").format(kind="DOCX"))
    return "not recorded", _("not recorded in the manifest")
