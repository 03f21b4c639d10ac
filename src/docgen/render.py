"""Fill a DOCX template with docxtpl under a sandboxed, strict, autoescaping jinja2 environment."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from .errors import TemplateError
from .fonts import cache_dir
from .formatting import FILTERS
from .record import normalize_docx

FIXED_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)
LEFTOVER = re.compile(r"\{\{|\{%|\}\}|%\}")
MAX_STRING = 1_000_000
MAX_PART = 20_000_000  # characters of XML one template part may produce (real parts are about 100 000)


@dataclass(frozen=True)
class Properties:
    """Core document properties, set after rendering (never through jinja)."""

    title: str
    subject: str
    author: str
    keywords: str = ""
    comments: str = ""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Sandbox in which templates cannot change lists or dicts (`x.append(…)` in a loop would grow
    memory without bound) and cannot build huge strings or lists with `*`."""

    intercepted_binops = frozenset(["*", "**"])

    @lru_cache(maxsize=256)  # noqa: B019 - one environment for the process; templates repeat per document
    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        """Compile each distinct template part once per process (docxtpl asks again for every
        document), and keep the compiled code on disk for the next run."""
        cache = _code_cache()
        if cache is None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        bucket = cache.get_bucket(self, _digest(source), None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            try:
                cache.set_bucket(bucket)
            except OSError:
                pass  # a read-only cache only costs the compile next time
        cls = template_class or self.template_class
        return cls.from_code(self, bucket.code, self.make_globals(globals), None)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise jinja2.exceptions.SecurityError("the ** operator is not allowed in templates")
        if operator == "*":
            seq, times = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_STRING:
                raise OverflowError(f"a template expression would build a value of {len(seq) * times} items")
        return super().call_binop(context, operator, left, right)


class _BoundedTemplate(jinja2.Template):
    """A template whose output is counted as it is produced and stopped at MAX_PART characters,
    so a loop that writes gigabytes fails early instead of exhausting memory."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        chunks: list[str] = []
        pieces: list[str] = []
        size = 0
        for piece in self.generate(*args, **kwargs):
            size += len(piece)
            if size > MAX_PART:
                raise OverflowError(f"the template would produce more than {MAX_PART:,} characters of XML "
                                    "in one part; a loop in it is too large")
            pieces.append(piece)
            if len(pieces) >= 4096:  # keep the list short: many one-character pieces cost 8 bytes each
                chunks.append("".join(pieces))
                pieces.clear()
        chunks.append("".join(pieces))
        return "".join(chunks)


def _no_other_templates(name: str) -> None:
    """A DOCX template is one file: {% include %}, {% import %} and {% extends %} find nothing."""
    raise jinja2.TemplateNotFound(f"{name} ({{% include %}}, {{% import %}} and {{% extends %}} cannot be used in "
                                  "a DOCX template)")


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one jinja2 environment every template is rendered with."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True,
                   loader=jinja2.FunctionLoader(_no_other_templates))
    env.template_class = _BoundedTemplate
    env.filters.update(FILTERS)
    return env


CACHE_KEEP_DAYS = 30


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _cache_folder() -> Path | None:
    """Where compiled template parts are kept between runs. The folder is named after this
    module's source and the jinja2 and docxtpl versions, so code compiled by another version is
    never used; None when the cache cannot be written."""
    import docxtpl

    tag = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()
                         + str(getattr(docxtpl, "__version__", "")).encode()).hexdigest()[:16]
    folder = cache_dir() / f"templates-{tag}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # in use: see below
    except OSError:
        return None
    stale = time.time() - CACHE_KEEP_DAYS * 86400
    for other in folder.parent.glob("templates-*"):
        try:
            if other != folder and other.stat().st_mtime < stale:  # left by a version not run for a month
                shutil.rmtree(other)
        except OSError:
            pass
    return folder


@lru_cache(maxsize=1)
def _code_cache() -> jinja2.BytecodeCache | None:
    folder = _cache_folder()
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


_LISTING = re.compile("[\t\a\n\f]")


@lru_cache(maxsize=64)
def _patched(xml: str) -> str:
    """docxtpl's tag clean-up of one part (a pure function of the XML), kept on disk like the
    compiled code."""
    folder = _cache_folder()
    path = folder / f"patched-{_digest(xml)}.xml" if folder is not None else None
    if path is not None:
        try:
            digest, _, text = path.read_text(encoding="utf-8").partition("\n")
            if digest == _digest(text):  # a damaged or partly written file is made again
                return text
        except (OSError, UnicodeDecodeError):
            pass
    patched = DocxTemplate.patch_xml(None, xml)
    if path is not None:
        try:
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(f"{_digest(patched)}\n{patched}", encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return patched


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl template whose core properties are left alone (set later, unescaped), and whose
    tag clean-up (a few dozen regular expressions over each part) is done once per template
    rather than once per document."""

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        return None

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns tabs, newlines and page breaks in values into Word runs with a few
        regular expressions over each part; a part with none of those characters is left as is."""
        if not _LISTING.search(xml):
            return xml
        return super().resolve_listing(xml)


def _context_text(exc: Exception) -> str:
    lines = [s.strip() for s in getattr(exc, "docx_context", []) or [] if s.strip()]
    return " … ".join(lines)[:300]


def _tag_of(exc: Exception) -> str:
    source = getattr(exc, "source", None)
    lineno = getattr(exc, "lineno", None)
    if source and lineno:
        line = source.splitlines()[lineno - 1] if lineno - 1 < len(source.splitlines()) else ""
        tags = re.findall(r"\{[{%].*?[}%]\}", re.sub(r"<[^>]+>", "", line))
        if tags:
            return tags[0][:120]
    return ""


def _with_images(tpl: DocxTemplate, value: Any) -> Any:
    """Replace Chart values by docxtpl InlineImages bound to this template."""
    from .charts import Chart

    if isinstance(value, Chart):
        return InlineImage(tpl, BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _with_images(tpl, v) for k, v in value.items()}
    return value


MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 200


@lru_cache(maxsize=64)
def _preflight_cached(path: str, size: int, mtime: int) -> None:
    preflight(Path(path))


def preflight(template: Path) -> None:
    """Refuse a template that is not a plain, safe DOCX before any parser reads it.

    Checks: a ZIP of sane size and compression ratio (no zip bomb), a word/document.xml,
    no macros, no external relationships (attachedTemplate, remote images), no DOCTYPE.
    """
    name = str(template)
    try:
        size = template.stat().st_size
    except OSError as e:
        raise TemplateError(f"{name}: template not found ({e.strerror})") from e
    if size == 0:
        raise TemplateError(f"not a valid DOCX: {name} (the file is empty)")
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"not a valid DOCX: {name} ({size} bytes, over {MAX_TEMPLATE_BYTES})")
    if not zipfile.is_zipfile(template):
        hint = " (an old .doc or an encrypted file? save it as .docx)" if template.read_bytes()[:4] == b"\xd0\xcf\x11\xe0" else ""
        raise TemplateError(f"not a valid DOCX: {name}{hint}")
    try:
        with zipfile.ZipFile(template) as z:
            infos = z.infolist()
            if len(infos) > MAX_ENTRIES:
                raise TemplateError(f"not a valid DOCX: {name} ({len(infos)} entries)")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNPACKED_BYTES or total / packed > MAX_RATIO:
                raise TemplateError(f"not a valid DOCX: {name} (unpacks to {total} bytes; refusing a possible zip bomb)")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise TemplateError(f"not a valid DOCX: {name} (no word/document.xml)")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise TemplateError(f"{name}: the template contains macros (vbaProject.bin); save it as a plain .docx")
            for entry in infos:
                if not entry.filename.endswith((".xml", ".rels")):
                    continue
                head = z.read(entry.filename)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise TemplateError(f"{name}: {entry.filename} declares a DOCTYPE or entities; refusing it")
                if entry.filename.endswith(".rels"):
                    for rel in re.findall(rb"<Relationship\b[^>]*>", head):
                        if b'TargetMode="External"' in rel and b"/hyperlink" not in rel:
                            raise TemplateError(f"{name}: {entry.filename} refers to an external resource; refusing it")
    except zipfile.BadZipFile as e:
        raise TemplateError(f"not a valid DOCX: {name} ({e})") from e


RENDER_TIMEOUT = 60.0


class _TimeUp(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt a runaway render (a loop of 10^12 iterations) after `seconds` in the main thread."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_docx(template: Path, context: dict[str, Any], properties: Properties, *,
                timeout: float = RENDER_TIMEOUT) -> bytes:
    """Render `template` with `context`; return the DOCX bytes.

    Raises TemplateError naming the template, the failing tag and the nearby text.
    """
    stat = template.stat() if template.exists() else None
    if stat is None:
        raise TemplateError(f"{template}: template not found")
    _preflight_cached(str(template), stat.st_size, stat.st_mtime_ns)
    try:
        tpl = _Template(str(template))
        with _time_limit(timeout):
            tpl.render(_with_images(tpl, context), jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as e:
        where = _context_text(e)
        tag = _tag_of(e)
        detail = f" in {tag}" if tag else ""
        near = f" near: {where}" if where else ""
        raise TemplateError(f"{template}: {type(e).__name__}{detail}: {e.message}{near}") from e
    except OverflowError as e:
        raise TemplateError(f"{template}: {e}") from e
    except RecursionError:
        raise TemplateError(f"{template}: a macro calls itself without end (or tags are nested too deeply)") from None
    except UnicodeDecodeError as e:
        raise TemplateError(f"{template}: a part of the template is not UTF-8 text ({e.reason} at byte {e.start}); "
                            "save it again with Word") from None
    except _TimeUp:
        raise TemplateError(f"{template}: rendering took longer than {timeout:.0f} s and was stopped; "
                            "a loop in the template is too large") from None
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise TemplateError(f"{template}: not a valid DOCX template ({e})") from e
    settle_layout(tpl.docx)
    core = tpl.docx.core_properties
    core.title, core.subject, core.author = properties.title, properties.subject, properties.author
    core.keywords, core.comments = properties.keywords, properties.comments
    core.language = "zh-CN"
    core.created = core.modified = FIXED_TIME
    core.last_printed = FIXED_TIME
    core.revision = 1
    buf = BytesIO()
    tpl.save(buf)
    data = normalize_docx(buf.getvalue())
    check_no_leftover_tags(template, data)
    return data


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def settle_layout(document: Any) -> None:
    """Two layout settings without which LibreOffice drops text that the DOCX has.

    - Tables that touch (a `{%p if %}` between them rendered to nothing) are one table to Word
      and a broken one to LibreOffice, which loses the rows after a page break: an empty
      paragraph is put between them.
    - LibreOffice loses the rows of a table that should continue on the next page when only
      its first row or two fit at the foot of a page, and in a table whose header repeats,
      when its rows may not split (`w:cantSplit`), as the sample's July report and generated
      year-long data showed. Tables of up to KEEP_TOGETHER_ROWS rows are kept on one page
      (every row kept with the next), header rows are kept with the first row below them, and
      rows of tables with a repeated header may split.
    - With no `w:overflowPunct` set, LibreOffice lets a line-end 。、， hang past the margin and
      then does not print it; it is set on (the document default), so such a character moves to
      the next line with the one before it, as Chinese typesetting does.
    """
    from docx.oxml import OxmlElement

    body = document.element.body
    for table in list(body.iter(f"{_W}tbl")):
        after = table.getnext()
        if after is not None and after.tag == f"{_W}tbl":
            para = OxmlElement("w:p")
            ppr = OxmlElement("w:pPr")
            spacing = OxmlElement("w:spacing")
            spacing.set(f"{_W}before", "0")
            spacing.set(f"{_W}after", "0")
            ppr.append(spacing)
            para.append(ppr)
            table.addnext(para)
        rows = table.findall(f"{_W}tr")
        if any(_repeats(row) for row in rows):
            for row in rows:
                trpr = row.find(f"{_W}trPr")
                if trpr is not None and not _repeats(row):
                    for cant in trpr.findall(f"{_W}cantSplit"):
                        trpr.remove(cant)
        # rows kept with the next one: a short table moves to the next page whole, and a long
        # one never leaves its header rows alone at the foot of a page
        together = len(rows) <= KEEP_TOGETHER_ROWS
        for i, row in enumerate(rows[:-1]):
            if together or _repeats(row) or (i + 1 < len(rows) and _repeats(rows[i + 1])):
                for para in row.iter(f"{_W}p"):
                    _keep_with_next(para)
    styles = document.styles.element
    defaults = styles.find(f"{_W}docDefaults")
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    ppr_default = defaults.find(f"{_W}pPrDefault")
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        rpr_default = defaults.find(f"{_W}rPrDefault")
        if rpr_default is not None:
            rpr_default.addnext(ppr_default)
        else:
            defaults.insert(0, ppr_default)
    ppr = ppr_default.find(f"{_W}pPr")
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    if ppr.find(f"{_W}overflowPunct") is None:
        punct = OxmlElement("w:overflowPunct")
        punct.set(f"{_W}val", "1")
        # schema order of pPr children: keepNext … overflowPunct … spacing, ind, jc …
        later = {f"{_W}{t}" for t in ("topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
                                      "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
                                      "suppressOverlap", "jc", "textDirection", "textAlignment",
                                      "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
                                      "pPrChange")}
        anchor = next((child for child in ppr if child.tag in later), None)
        if anchor is not None:
            anchor.addprevious(punct)
        else:
            ppr.append(punct)


KEEP_TOGETHER_ROWS = 15  # tables up to this many rows are not split across pages


def _keep_with_next(para: Any) -> None:
    from docx.oxml import OxmlElement

    ppr = para.find(f"{_W}pPr")
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        para.insert(0, ppr)
    if ppr.find(f"{_W}keepNext") is None:
        keep = OxmlElement("w:keepNext")
        style = ppr.find(f"{_W}pStyle")
        if style is not None:
            style.addnext(keep)
        else:
            ppr.insert(0, keep)


def _repeats(row: Any) -> bool:
    """Whether a table row is a header row that Word repeats on every page."""
    trpr = row.find(f"{_W}trPr")
    mark = trpr.find(f"{_W}tblHeader") if trpr is not None else None
    return mark is not None and mark.get(f"{_W}val", "true") not in ("0", "false", "off")


def docx_text_parts(data: bytes) -> dict[str, str]:
    """Visible text of the body, headers and footers of a DOCX, by part name."""
    out = {}
    with zipfile.ZipFile(BytesIO(data)) as z:
        for name in z.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", name):
                xml = z.read(name).decode("utf-8")
                text = re.sub(r"</w:p>", "\n", xml)
                text = re.sub(r"<[^>]+>", "", text)
                out[name] = text
    return out


def check_no_leftover_tags(template: Path, data: bytes) -> None:
    """Fail when a jinja delimiter survives rendering (a tag Word broke, or a typo)."""
    for part, text in docx_text_parts(data).items():
        match = LEFTOVER.search(text)
        if match:
            start = max(match.start() - 40, 0)
            near = text[start: match.end() + 40].replace("\n", " ")
            raise TemplateError(f"{template}: {part}: an unrendered tag is left in the output near: {near!r}")
