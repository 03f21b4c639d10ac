"""Fill a DOCX template with docxtpl under a sandboxed, strict, autoescaping jinja2 environment."""

from __future__ import annotations

import html
import re
import signal
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from lxml import etree

from .errors import TemplateError
from .formatting import FILTERS
from .i18n import N_, _

LEFTOVER = re.compile(r"\{\{|\{%|\}\}|%\}")
_TAG = re.compile(r"<[^>]+>")
MAX_STRING = 1_000_000
MAX_PART = 20_000_000  # characters of XML one template part may produce (real parts are about 100 000)


@dataclass(frozen=True)
class Properties:
    """Core document properties, set after rendering (never through jinja); `provenance` goes
    into a custom property (PROVENANCE_PROPERTY), out of the way of what a reader sees."""

    title: str
    subject: str
    author: str
    keywords: str = ""
    comments: str = ""
    provenance: str = ""


PROVENANCE_PROPERTY = "docgen-provenance"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _without_dates(core: Any) -> None:
    """No created, modified or printed dates: a made-up date (it used to be 2000-01-01) would
    mislead, and the real one would make the same inputs give different bytes."""
    element = core._element
    for tag in ("created", "modified", "lastPrinted"):
        for child in [c for c in element if c.tag.endswith("}" + tag)]:
            element.remove(child)


def set_custom_property(document: Any, name: str, value: str) -> None:
    """Set the text custom property `name` (docProps/custom.xml), keeping a template's others."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    package = document.part.package
    part = next((r.target_part for r in package.rels.values() if r.reltype == RT.CUSTOM_PROPERTIES), None)
    root = (etree.fromstring(part.blob) if part is not None and part.blob
            else etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS}))
    for prop in [p for p in root if p.get("name") == name]:
        root.remove(prop)
    pid = max((int(p.get("pid", "1")) for p in root), default=1) + 1
    prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property",
                            fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", pid=str(pid), name=name)
    etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is None:
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    else:
        part._blob = blob


def custom_property(data: bytes, name: str) -> str | None:
    """The text custom property `name` of a DOCX, or None."""
    import zipfile
    from io import BytesIO

    from lxml import etree

    with zipfile.ZipFile(BytesIO(data)) as z:
        if "docProps/custom.xml" not in z.namelist():
            return None
        try:
            root = etree.fromstring(z.read("docProps/custom.xml"))
        except etree.XMLSyntaxError:
            return None
    prop = next((p for p in root if p.get("name") == name), None)
    return None if prop is None else "".join(prop.itertext())


_DATE_ATTRIBUTES = frozenset({"year", "month", "day", "weekday", "isoweekday", "isoformat", "strftime"})
SAFE_ATTRIBUTES: dict[type, frozenset[str]] = {
    # what templates may read of each kind of value; everything else, on any other object, is refused
    dict: frozenset({"items", "keys", "values", "get"}),
    str: frozenset({"upper", "lower", "strip", "lstrip", "rstrip", "replace", "split", "rsplit", "splitlines",
                    "startswith", "endswith", "title", "capitalize", "zfill", "ljust", "rjust", "center", "join",
                    "count", "find", "isdigit"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
    datetime: _DATE_ATTRIBUTES | {"hour", "minute", "second", "date", "time"},
    date: _DATE_ATTRIBUTES,
    dtime: frozenset({"hour", "minute", "second", "isoformat", "strftime"}),
    Decimal: frozenset(),
    int: frozenset(),
    float: frozenset(),
}
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem",
                             "nextitem", "depth", "depth0", "cycle", "changed"})


def attribute_allowed(obj: Any, attr: str) -> bool:
    """Whether a template may read `obj.attr`: only the members listed in SAFE_ATTRIBUTES for the
    plain values a context holds, the loop variable's, and a namespace's own; never a name that
    starts with '_'."""
    from jinja2.runtime import LoopContext
    from jinja2.utils import Namespace

    if attr.startswith("_"):
        return False
    if isinstance(obj, LoopContext):
        return attr in LOOP_ATTRIBUTES
    if isinstance(obj, Namespace):
        return True
    for kind in type(obj).__mro__:
        if kind in SAFE_ATTRIBUTES:
            return attr in SAFE_ATTRIBUTES[kind]
    return False


class TemplateImage:
    """A chart as templates see it: it renders as a picture and has no members. (docxtpl's
    InlineImage holds the live DocxTemplate, whose methods read and write files.)"""

    __slots__ = ("_image",)

    def __init__(self, image: InlineImage) -> None:
        self._image = image

    def __html__(self) -> str:
        return str(self._image.__html__())

    __str__ = __html__


class _Sandbox(ImmutableSandboxedEnvironment):
    """Sandbox in which templates cannot change lists or dicts (`x.append(…)` in a loop would grow
    memory without bound), cannot build huge strings or lists with `*`, and can read nothing but
    the plain values of their context (attribute_allowed)."""

    intercepted_binops = frozenset(["*", "**"])

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attribute_allowed(obj, attr) and super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Refuse at once (jinja would return an undefined value, which `map(attribute=…)` and
        `|list` carry along silently)."""
        raise jinja2.exceptions.SecurityError(_("{attribute!r} of a {type} value is not available to templates").format(
            attribute=attribute, type=type(obj).__name__))

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        _RENDERING.source = source  # for naming the tag of an error raised while it renders
        return self._compiled(source, globals, template_class)

    @lru_cache(maxsize=256)  # noqa: B019 - one environment for the process; templates repeat per document
    def _compiled(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        """Compile each distinct template part once per process (docxtpl asks again for every
        document)."""
        return super().from_string(source, globals, template_class)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise jinja2.exceptions.SecurityError(_("the ** operator is not allowed in templates"))
        if operator == "*":
            seq, times = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_STRING:
                raise OverflowError(_("a template expression would build a value of {n} items").format(
                    n=len(seq) * times))
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
                raise OverflowError(_("the template would produce more than {limit:,} characters of XML in one "
                                      "part; a loop in it is too large").format(limit=MAX_PART))
            pieces.append(piece)
            if len(pieces) >= 4096:  # keep the list short: many one-character pieces cost 8 bytes each
                chunks.append("".join(pieces))
                pieces.clear()
        chunks.append("".join(pieces))
        return "".join(chunks)


def _no_other_templates(name: str) -> None:
    """A DOCX template is one file: {% include %}, {% import %} and {% extends %} find nothing."""
    raise jinja2.TemplateNotFound(_("{name} ({{% include %}}, {{% import %}} and {{% extends %}} cannot be used in "
                                    "a DOCX template)").format(name=name))


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one jinja2 environment every template is rendered with."""
    env = _Sandbox(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True,
                   loader=jinja2.FunctionLoader(_no_other_templates))
    env.template_class = _BoundedTemplate
    env.filters.update(FILTERS)
    for name in ("lipsum", "cycler", "joiner"):  # nothing a document needs; less to reach
        env.globals.pop(name, None)
    return env


_LISTING = re.compile("[\t\a\n\f]")


_IN_TAG = re.compile(r"(?<=\{[{%])(.*?)(?=[}%]\})", re.DOTALL)


def _unescape_tag(m: re.Match[str]) -> str:
    # LibreOffice and Word write quotes in text as entities; inside a tag they are jinja's quotes
    return m.group(0).replace("&apos;", "'").replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


@lru_cache(maxsize=64)
def _patched(xml: str) -> str:
    """docxtpl's tag clean-up of one part, a pure function of the XML: done once per template
    part in a build rather than once per document; `templates check` reads tags through it too.
    Besides docxtpl's own clean-up, the XML entities that LibreOffice and Word write for quotes
    (`&apos;`, `&quot;`) are turned back into quotes inside tags."""
    return _IN_TAG.sub(_unescape_tag, str(DocxTemplate.patch_xml(None, xml)))


class _Template(DocxTemplate):
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


_JINJA_MESSAGES = (  # jinja's own words for the mistakes templates make most, in the reader's language
    (re.compile(r"'(?P<name>[^']*)' is undefined"), N_("{name!r} is undefined")),
    (re.compile(r"'(?P<owner>[^']*)' has no attribute '(?P<attribute>[^']*)'"),
     N_("{owner!r} has no attribute {attribute!r}")),
)


def _jinja_message(exc: jinja2.TemplateError) -> str:
    """jinja's message of `exc`, translated when it is one of _JINJA_MESSAGES (jinja has no catalog)."""
    message = exc.message or ""
    for pattern, text in _JINJA_MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            return _(text).format(**found.groupdict())
    return message


def _template_error(template: Path, exc: jinja2.TemplateError) -> str:
    """What a template error says: the template, the kind of error, the tag and the text near it."""
    where, tag = _context_text(exc), _tag_of(exc)
    error, message = type(exc).__name__, _jinja_message(exc)
    if tag and where:
        return _("{template}: {error} in {tag}: {message} near: {near}").format(
            template=template, error=error, tag=tag, message=message, near=where)
    if tag:
        return _("{template}: {error} in {tag}: {message}").format(template=template, error=error, tag=tag,
                                                                 message=message)
    if where:
        return _("{template}: {error}: {message} near: {near}").format(template=template, error=error,
                                                                     message=message, near=where)
    return _("{template}: {error}: {message}").format(template=template, error=error, message=message)


def _context_text(exc: Exception) -> str:
    lines = [s.strip() for s in getattr(exc, "docx_context", []) or [] if s.strip()]
    return " … ".join(lines)[:300]


_RENDERING = threading.local()


def _template_line(exc: BaseException) -> int | None:
    """The line of the template source an error was raised at, from jinja's traceback frames."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _tag_of(exc: Exception) -> str:
    source = getattr(exc, "source", None)
    lineno = getattr(exc, "lineno", None)
    if not (source and lineno):  # raised while rendering, not while parsing
        source, lineno = getattr(_RENDERING, "source", None), _template_line(exc)
    if isinstance(source, str) and lineno:
        line = source.splitlines()[lineno - 1] if lineno - 1 < len(source.splitlines()) else ""
        tags = re.findall(r"\{[{%].*?[}%]\}", re.sub(r"<[^>]+>", "", line))
        if tags:
            return tags[0][:120]
    return ""


# Braces in data are carried through rendering as two Unicode noncharacters (which data may not
# hold), so that the leftover-tag check sees only what the template left, and put back after it.
_DATA_BRACES = str.maketrans({"{": "\ufdd0", "}": "\ufdd1"})
_BRACES_BACK = str.maketrans({"\ufdd0": "{", "\ufdd1": "}"})


def _for_template(tpl: DocxTemplate, value: Any) -> Any:
    """The context as templates get it: charts become inert pictures bound to this template,
    and the braces of every text are marked (see _DATA_BRACES)."""
    from .charts import Chart

    if isinstance(value, str):
        return value.translate(_DATA_BRACES)
    if isinstance(value, Chart):
        return TemplateImage(InlineImage(tpl, BytesIO(value.png), width=Mm(value.width_mm)))
    if isinstance(value, dict):
        return {_for_template(tpl, k): _for_template(tpl, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_for_template(tpl, v) for v in value)
    return value


_TEXT_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


def _rendered_parts(tpl: DocxTemplate) -> Iterator[tuple[str, Any]]:
    """(part name, part) of the body, headers, footers and notes of a rendered template."""
    seen = set()
    for part in tpl.docx.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if _TEXT_PART.fullmatch(name) and name not in seen:
            seen.add(name)
            yield name, part
    for rel in tpl.docx.part.rels.values():  # headers and footers docxtpl replaced
        if not rel.is_external:
            name = str(rel.target_part.partname).lstrip("/")
            if _TEXT_PART.fullmatch(name):
                yield name, rel.target_part


def _part_text(part: Any) -> str:
    """The text of a part, one line per paragraph (tags removed from the serialised XML: walking
    python-docx's element objects costs about 30 times as much)."""
    element = getattr(part, "_element", None)
    xml = etree.tostring(element, encoding=str) if element is not None else part.blob.decode("utf-8", "replace")
    return html.unescape(_TAG.sub("", xml.replace("</w:p>", "\n")))


def _check_leftovers(template: Path, tpl: DocxTemplate) -> None:
    """Fail when a jinja delimiter the template holds survives rendering (a tag Word broke, or a
    typo); braces that came with the data are marked and do not count."""
    for name, part in _rendered_parts(tpl):
        text = _part_text(part)
        match = LEFTOVER.search(text)
        if match:
            start = max(match.start() - 40, 0)
            near = text[start: match.end() + 40].replace("\n", " ").translate(_BRACES_BACK)
            raise TemplateError(_("{template}: {part}: an unrendered tag is left in the output near: {near!r}").format(
                template=template, part=name, near=near))


def _restore_braces(tpl: DocxTemplate) -> None:
    """Put the data's braces back in every rendered part."""
    for _name, part in _rendered_parts(tpl):
        element = getattr(part, "_element", None)
        if element is not None:
            for node in element.iter(f"{_W}t"):  # data reaches a document only as run text
                if node.text and ("\ufdd0" in node.text or "\ufdd1" in node.text):
                    node.text = node.text.translate(_BRACES_BACK)
        elif "\ufdd0".encode() in part.blob or "\ufdd1".encode() in part.blob:
            part._blob = part.blob.decode("utf-8").translate(_BRACES_BACK).encode("utf-8")


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
        raise TemplateError(_("{template}: template not found ({reason})").format(
            template=name, reason=e.strerror)) from e
    if size == 0:
        raise TemplateError(_("not a valid DOCX: {template} (the file is empty)").format(template=name))
    if size > MAX_TEMPLATE_BYTES:
        raise TemplateError(_("not a valid DOCX: {template} ({size} bytes, over {limit})").format(
            template=name, size=size, limit=MAX_TEMPLATE_BYTES))
    if not zipfile.is_zipfile(template):
        if template.read_bytes()[:4] == b"\xd0\xcf\x11\xe0":
            raise TemplateError(_("not a valid DOCX: {template} (an old .doc or an encrypted file? save it as "
                                  ".docx)").format(template=name))
        raise TemplateError(_("not a valid DOCX: {template}").format(template=name))
    try:
        with zipfile.ZipFile(template) as z:
            infos = z.infolist()
            if len(infos) > MAX_ENTRIES:
                raise TemplateError(_("not a valid DOCX: {template} ({n} entries)").format(
                    template=name, n=len(infos)))
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNPACKED_BYTES or total / packed > MAX_RATIO:
                raise TemplateError(_("not a valid DOCX: {template} (unpacks to {size} bytes; refusing a possible "
                                      "zip bomb)").format(template=name, size=total))
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise TemplateError(_("not a valid DOCX: {template} (no word/document.xml)").format(template=name))
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise TemplateError(_("{template}: the template contains macros (vbaProject.bin); save it as a "
                                      "plain .docx").format(template=name))
            if any(n.lower().startswith("word/embeddings/") for n in names):
                raise TemplateError(_("{template}: the template embeds objects (word/embeddings/); remove "
                                      "them").format(template=name))
            for entry in sorted(infos, key=lambda i: not i.filename.endswith(".rels")):  # links first
                if entry.filename.endswith((".xml", ".rels")):
                    _screen_part(name, entry.filename, z.read(entry.filename))
    except zipfile.BadZipFile as e:
        raise TemplateError(_("not a valid DOCX: {template} ({error})").format(template=name, error=e)) from e


_REFUSED_TYPES = {  # relationship types (last part of the Type URI) a template may not have
    "aFChunk": N_("an imported file (altChunk)"), "attachedTemplate": N_("an attached template"),
    "subDocument": N_("a subdocument"), "frame": N_("a frame"), "oleObject": N_("an OLE object"),
    "package": N_("an embedded package"), "control": N_("an ActiveX control"), "vbaProject": N_("macros"),
}
_REFUSED_ELEMENTS = {"object": N_("an embedded or linked object (w:object)"), "OLEObject": N_("an OLE object"),
                     "altChunk": N_("an imported file (altChunk)"), "subDoc": N_("a subdocument"),
                     "control": N_("a control")}
_FETCHING_FIELDS = re.compile(r"(INCLUDEPICTURE|INCLUDETEXT|(?<!HYPER)LINK|DDEAUTO|DDE|IMPORT)\s", re.IGNORECASE)


def _decoded(raw: bytes) -> str:
    """An XML part's text in whatever encoding it declares (a BOM, or the XML declaration)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, "replace")
    if raw[:2] in (b"<\x00", b"\x00<"):
        return raw.decode("utf-16-le" if raw[:1] == b"<" else "utf-16-be", "replace")
    declared = re.match(rb"<\?xml[^>]*encoding\s*=\s*['\"]([A-Za-z0-9._-]+)['\"]", raw)
    try:
        return raw.decode(declared.group(1).decode() if declared else "utf-8", "replace")
    except LookupError:
        return raw.decode("utf-8", "replace")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _screen_part(template: str, part: str, raw: bytes) -> None:
    """Refuse what could make LibreOffice read a file or reach the network, or run code, naming
    the part: DOCTYPE and entity declarations in any encoding, external relationships (links
    aside), imported files, attached templates, subdocuments, frames, OLE objects, controls,
    and fields that fetch what they show."""
    from lxml import etree

    text = _decoded(raw)
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise TemplateError(_("{template}: {part} declares a DOCTYPE or entities; refusing it").format(
            template=template, part=part))
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                      load_dtd=False, huge_tree=True))
    except (etree.XMLSyntaxError, ValueError) as e:
        raise TemplateError(_("{template}: {part} is not well-formed XML ({error})").format(
            template=template, part=part, error=e)) from None
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = _local(el.tag)
        attrs = {_local(k): v for k, v in el.attrib.items()}
        if tag == "Relationship":
            kind = _local((attrs.get("Type") or "").rstrip("/").rsplit("/", 1)[-1])
            if kind in _REFUSED_TYPES:
                raise TemplateError(_("{template}: {part} holds {what} ({target!r}); refusing it").format(
                    template=template, part=part, what=_(_REFUSED_TYPES[kind]), target=attrs.get("Target", "")))
            if (attrs.get("TargetMode") or "").strip().lower() == "external" and kind != "hyperlink":
                raise TemplateError(_("{template}: {part} refers to an external resource ({target!r}); "
                                      "refusing it").format(template=template, part=part,
                                                            target=attrs.get("Target", "")))
        elif tag in _REFUSED_ELEMENTS and el.tag.startswith("{http://schemas.openxmlformats.org/wordprocessingml") \
                or tag == "OLEObject":
            raise TemplateError(_("{template}: {part} holds {what}; refusing it").format(
                template=template, part=part, what=_(_REFUSED_ELEMENTS[tag])))
        elif tag == "p" or tag == "fldSimple":  # field codes, however Word split them into runs
            code = attrs.get("instr", "") if tag == "fldSimple" else "".join(
                t.text or "" for t in el.iter() if isinstance(t.tag, str) and _local(t.tag) == "instrText")
            found = _FETCHING_FIELDS.search(code)
            if found:
                raise TemplateError(_("{template}: {part} holds a {field} field, which fetches what it shows from "
                                      "a file or the network; refusing it").format(
                    template=template, part=part, field=found.group(1).upper()))
        elif tag == "Override" and "macroEnabled" in (attrs.get("ContentType") or ""):
            raise TemplateError(_("{template}: {part}: the template is macro-enabled; save it as a plain "
                                  ".docx").format(template=template, part=part))


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
        raise TemplateError(_("{template}: template not found").format(template=template))
    _preflight_cached(str(template), stat.st_size, stat.st_mtime_ns)
    try:
        tpl = _Template(str(template))
        with _time_limit(timeout):
            tpl.render(_for_template(tpl, context), jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as e:
        raise TemplateError(_template_error(template, e)) from e
    except OverflowError as e:
        raise TemplateError(f"{template}: {e}") from e
    except RecursionError:
        raise TemplateError(_("{template}: a macro calls itself without end (or tags are nested too "
                              "deeply)").format(template=template)) from None
    except UnicodeDecodeError as e:
        raise TemplateError(_("{template}: a part of the template is not UTF-8 text ({reason} at byte {byte}); "
                              "save it again with Word").format(template=template, reason=e.reason,
                                                                byte=e.start)) from None
    except _TimeUp:
        raise TemplateError(_("{template}: rendering took longer than {seconds:.0f} s and was stopped; a loop in "
                              "the template is too large").format(template=template, seconds=timeout)) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise TemplateError(_("{template}: not a valid DOCX template ({error})").format(
            template=template, error=e)) from e
    _check_leftovers(template, tpl)
    _restore_braces(tpl)
    settle_layout(tpl.docx)
    core = tpl.docx.core_properties
    core.title, core.subject, core.author = properties.title, properties.subject, properties.author
    core.keywords, core.comments = properties.keywords, properties.comments
    core.language = "zh-CN"
    core.revision = 1
    _without_dates(core)
    if properties.provenance:
        set_custom_property(tpl.docx, PROVENANCE_PROPERTY, properties.provenance)
    buf = BytesIO()
    tpl.save(buf)
    return normalize_docx(buf.getvalue())


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
      rows of tables with a repeated header may split. A line that ends in "：" just before a
      table is kept with it.
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
        before = table.getprevious()
        if before is not None and before.tag == f"{_W}p":  # "…如下：" stays with its table
            text = "".join(before.itertext()).strip()
            if text.endswith(("：", ":")):
                _keep_with_next(before)
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
            raise TemplateError(_("{template}: {part}: an unrendered tag is left in the output near: {near!r}").format(
                template=template, part=part, near=near))


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_docx(data: bytes) -> bytes:
    """Give every member of a freshly written DOCX the same fixed date and permissions, in place.

    The members' order and compressed bytes already depend only on the content; the date is
    the one thing that changes from run to run. Rewriting the headers instead of the archive
    saves decompressing and compressing every part again.
    """
    import struct
    import zipfile
    from io import BytesIO

    out = bytearray(data)
    with zipfile.ZipFile(BytesIO(data)) as z:
        infos = z.infolist()
        central = z.start_dir
    year, month, day, hour, minute, second = FIXED_ZIP_TIME
    dos_time = (hour << 11) | (minute << 5) | (second // 2)
    dos_date = ((year - 1980) << 9) | (month << 5) | day
    for info in infos:
        if out[info.header_offset:info.header_offset + 4] != b"PK\x03\x04":
            raise ValueError("unexpected ZIP layout")
        struct.pack_into("<HH", out, info.header_offset + 10, dos_time, dos_date)
    pos = central
    for _info in infos:
        if out[pos:pos + 4] != b"PK\x01\x02":
            raise ValueError("unexpected ZIP layout")
        struct.pack_into("<HH", out, pos + 12, dos_time, dos_date)
        struct.pack_into("<I", out, pos + 38, 0o644 << 16)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(out)
