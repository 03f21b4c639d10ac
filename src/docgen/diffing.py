"""`docgen diff A B`: what changed between two files docgen made.

Each file carries its provenance (which document, made from which inputs, as a digest). The
output folder's history keeps every manifest a build left, so the digest leads back to the input
hashes of each version, and history's values.json to the values behind them: the change list
is the same as the one a build writes. The text is compared paragraph by paragraph as well, so
two files whose inputs are unknown (made elsewhere) still get a useful answer.
"""

from __future__ import annotations

import contextlib
import json
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

from . import history
from .errors import DocgenError
from .i18n import _, ngettext
from .manifest import MANIFEST_NAME, Manifest, inputs_digest, parse_provenance

if TYPE_CHECKING:
    from .project import Project

MAX_TEXT_LINES = 40


def _inputs_of(job_id: str, digest: str, out_dir: Path) -> dict[str, str] | None:
    """The input hashes of the version of `job_id` whose provenance digest is `digest`: from the
    output folder's manifest or any manifest its history kept."""
    manifests: list[Manifest] = []
    with contextlib.suppress(DocgenError):
        manifests.append(Manifest.load(out_dir))
    for record in reversed(history.builds(out_dir)):
        body = history.kept(out_dir, record.manifest) if record.manifest else None
        if body is None:
            continue
        try:
            raw = json.loads(body)
            manifests.append(Manifest.model_validate({"outputs": raw.get("outputs", {})}))
        except (ValueError, TypeError):
            continue
    for manifest in manifests:
        entry = manifest.outputs.get(job_id)
        if entry is not None and inputs_digest(entry.inputs)[:32] == digest:
            return entry.inputs
    return None


def _paragraphs(data: bytes) -> list[str]:
    if data.startswith(b"%PDF-"):
        from .fidelity import pdf_pages

        return [line.strip() for page in pdf_pages(data) for line in page.splitlines() if line.strip()]
    from .redline import texts

    return [t for t in texts(data) if t.strip()]


def _out_dir_of(path: Path, default: Path) -> Path:
    for folder in [path.parent, *path.parents]:
        if (folder / MANIFEST_NAME).is_file() or (folder / history.HISTORY).is_dir():
            return folder
    return default


def compare_files(old: Path, new: Path, project: Project, *, redline_to: Path | None = None) -> list[str]:
    """Lines describing the changes from `old` to `new` (and a redline written to `redline_to`)."""
    from .changes import Values, as_lines, changes_between
    from .verify import keywords_of

    (old_kw, old_data), (new_kw, new_data) = keywords_of(old), keywords_of(new)
    lines: list[str] = []
    old_p, new_p = parse_provenance(old_kw), parse_provenance(new_kw)
    if old_p and new_p:
        if old_p[0] != new_p[0]:
            lines.append(_("Note: the two files are not the same document ({old} and {new})").format(
                old=old_p[0], new=new_p[0]))
        out_dir = _out_dir_of(new, project.config.out_dir)
        old_inputs = (_inputs_of(old_p[0], old_p[1], _out_dir_of(old, out_dir))
                      or _inputs_of(old_p[0], old_p[1], out_dir))
        new_inputs = _inputs_of(new_p[0], new_p[1], out_dir)
        if old_p[1] == new_p[1]:
            lines.append(_("Same inputs: both files were made from the same data, templates and program"))
        elif old_inputs is None or new_inputs is None:
            lines.append(_("Inputs differ; the inputs of one of the files are not in the output folder's history, "
                           "so only the text is compared"))
        else:
            values = Values(history.load_values(out_dir))
            found = changes_between(old_inputs, new_inputs, {}, values)
            lines.append(_("Changed inputs ({n}):").format(n=len(found)))
            lines += [f"  · {line}" for line in as_lines(found)]
    else:
        lines.append(_("At least one of the files carries no docgen provenance, so only the text is compared"))
    a, b = _paragraphs(old_data), _paragraphs(new_data)
    text_lines: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        text_lines += [f"  - {t}" for t in a[i1:i2]] + [f"  + {t}" for t in b[j1:j2]]
    if text_lines:
        lines.append(_("Text changes (paragraphs added or changed: {added}; deleted or changed: {removed}):").format(
            added=sum(1 for t in text_lines if t.startswith("  +")),
            removed=sum(1 for t in text_lines if t.startswith("  -"))))
        lines += text_lines[:MAX_TEXT_LINES]
        if len(text_lines) > MAX_TEXT_LINES:
            more = len(text_lines) - MAX_TEXT_LINES
            lines.append("  " + ngettext("… and {n} more line", "… and {n} more lines", more).format(n=more))
    else:
        lines.append(_("The text is the same"))
    if redline_to is not None:
        if old_data.startswith(b"%PDF-") or new_data.startswith(b"%PDF-"):
            raise DocgenError(_("--redline needs two DOCX files (tracked changes are a Word feature)"))
        from .outputs import write_atomic
        from .redline import compare

        marked = compare(old_data, new_data)
        write_atomic(redline_to, marked.docx)
        lines.append(_("Redline: {file} (insertions: {insertions}, deletions: {deletions})").format(
            file=redline_to, insertions=marked.insertions, deletions=marked.deletions))
    return lines


def _manifest_of(out_dir: Path, record: history.BuildRecord) -> Manifest:
    body = history.kept(out_dir, record.manifest) if record.manifest else None
    if body is None:
        return Manifest()
    try:
        return Manifest.model_validate({"outputs": json.loads(body).get("outputs", {})})
    except (ValueError, TypeError):
        return Manifest()


def compare_builds(out_dir: Path, old_id: str, new_id: str) -> list[str]:
    """Per document, what changed from build `old_id` to build `new_id` (ids as `docgen history`
    lists them): documents added or no longer made, and each changed document's input changes."""
    from .changes import Values, as_lines, changes_between

    old, new = history.find(out_dir, old_id), history.find(out_dir, new_id)
    before, after = _manifest_of(out_dir, old), _manifest_of(out_dir, new)
    values = Values(history.load_values(out_dir))
    lines = [_("Build {old} ({old_at}) → {new} ({new_at})").format(old=old.id, old_at=old.at, new=new.id,
                                                                 new_at=new.at)]
    changed = 0
    for output_id in sorted(before.outputs.keys() | after.outputs.keys()):
        a, b = before.outputs.get(output_id), after.outputs.get(output_id)
        entry = b or a
        assert entry is not None
        name = min(entry.files, default=output_id).rsplit(".", 1)[0]
        if a is None or b is None:
            lines.append((_("New: {document}") if a is None else _("No longer made: {document}")).format(document=name))
            changed += 1
            continue
        if a.files == b.files:
            continue
        changed += 1
        found = [c for c in changes_between(a.inputs, b.inputs, {}, values) if not c.input.startswith("member:")]
        lines.append(_("{document}:").format(document=name))
        lines += [f"  · {line}" for line in as_lines(found)] or ["  · " + _("the file's content changed (same inputs)")]
    if changed:
        lines.append(ngettext("{n} output changed", "{n} outputs changed", changed).format(n=changed))
    else:
        lines.append(_("The two builds have the same outputs"))
    return lines
