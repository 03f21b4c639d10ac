"""Simplified Chinese fonts for LibreOffice: 宋体/仿宋/黑体… → Noto Serif/Sans CJK SC, never JP/KR.

Why: Debian ships Noto CJK as collections (.ttc) whose faces share one CFF table named after
the Japanese face, so PDFs name the font "…CJKjp…" whichever face was chosen, and fontconfig
may pick a JP or KR face for Chinese text. docgen copies the SC faces out of the collections
(raw tables, the CFF font name patched to the SC name, no outlines changed), hides the
collections, and maps the Chinese font names of Word documents to these faces.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .errors import ConversionError, OutputError
from .i18n import N_, _
from .outputs import os_reason

FACES = {
    # collection file name → (SC face family, PostScript name)
    "NotoSerifCJK-Regular.ttc": ("Noto Serif CJK SC", "NotoSerifCJKsc-Regular"),
    "NotoSerifCJK-Bold.ttc": ("Noto Serif CJK SC", "NotoSerifCJKsc-Bold"),
    "NotoSansCJK-Regular.ttc": ("Noto Sans CJK SC", "NotoSansCJKsc-Regular"),
    "NotoSansCJK-Bold.ttc": ("Noto Sans CJK SC", "NotoSansCJKsc-Bold"),
}
FONT_HINT = N_("Install the Noto CJK fonts: sudo apt-get install -y fonts-noto-cjk")


CACHE_HINT = N_("set DOCGEN_CACHE (or cache in docgen.toml) to a writable folder with about 100 MB free")


def _fonts_missing(names: list[str]) -> str:
    return _("Noto CJK fonts not found ({names}). {hint}").format(names=", ".join(names), hint=_(FONT_HINT))


def _no_face(collection: Path, family: str) -> str:
    return _("{collection} has no {family} face. {hint}").format(collection=collection, family=family,
                                                                 hint=_(FONT_HINT))


_PREPARE_LOCK = threading.Lock()


@contextlib.contextmanager
def cache_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (created if missing) against other threads of this
    process and other processes, so that two callers never fill one cache entry at once."""
    import fcntl

    with _PREPARE_LOCK:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise OutputError(_("cannot write docgen's cache folder {folder}: {reason}; {hint}").format(
                folder=folder, reason=os_reason(e), hint=_(CACHE_HINT))) from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _unique_tmp(dest: Path) -> Path:
    """A temporary name beside `dest` that no other writer uses."""
    return dest.with_name(f".{dest.name}.{os.getpid()}-{threading.get_ident()}.tmp")


# Where Debian and Ubuntu's fonts-noto-cjk puts the collections; looked at before asking fontconfig,
# since fc-list costs about 30 ms in every command, before LibreOffice can start.
KNOWN_FOLDERS = (Path("/usr/share/fonts/opentype/noto"),)


def _collections() -> dict[str, Path]:
    """System Noto CJK collections by file name, found through fontconfig."""
    for folder in KNOWN_FOLDERS:
        known = {name: folder / name for name in FACES if (folder / name).is_file()}
        if len(known) == len(FACES):
            return known
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    found = {}
    for line in out.splitlines():
        path = Path(line.strip())
        if path.name in FACES:
            found[path.name] = path
    return found


def _extract(collection: Path, family: str, psname: str, dest: Path) -> None:
    from fontTools.ttLib import TTCollection
    from fontTools.ttLib.sfnt import SFNTWriter

    fonts = TTCollection(str(collection), lazy=True).fonts
    face = next((f for f in fonts if f["name"].getDebugName(1) == family), None)
    if face is None:
        raise ConversionError(_no_face(collection, family))
    reader = face.reader
    shared = psname.replace("sc-", "jp-")
    tmp = _unique_tmp(dest)
    try:
        with tmp.open("wb") as out:
            writer = SFNTWriter(out, len(reader.keys()), sfntVersion=reader.sfntVersion)
            for tag in sorted(reader.keys()):
                data = reader[tag]
                if tag == "CFF ":
                    data = data.replace(shared.split("-")[0].encode(), psname.split("-")[0].encode())
                writer[tag] = data
            writer.close()
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def prepare(cache: Path) -> Path:
    """Make sure the SC faces and the fontconfig file exist in docgen's cache folder `cache`;
    return the fontconfig file."""
    collections = _collections()
    missing = sorted(set(FACES) - set(collections))
    if missing:
        raise ConversionError(_fonts_missing(missing))
    template = (Path(__file__).with_name("fonts") / "fonts.conf").read_text(encoding="utf-8")
    key = hashlib.sha256("|".join([template, *(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                               for p in sorted(collections.values()))]).encode()).hexdigest()[:12]
    root = cache / f"fonts-{key}"
    font_dir = root / "fonts"
    conf = root / "fonts.conf"
    if conf.exists():
        return conf
    with cache_lock(root):
        if conf.exists():  # made by another caller while this one waited
            return conf
        try:
            font_dir.mkdir(parents=True, exist_ok=True)
            for name, (family, psname) in FACES.items():
                dest = font_dir / f"{psname}.otf"
                if not dest.exists():
                    _extract(collections[name], family, psname, dest)
            text = template.replace("@FONT_DIR@", str(font_dir)).replace("@CACHE_DIR@", str(root / "fc-cache"))
            tmp = _unique_tmp(conf)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, conf)
        except OSError as e:
            for leftover in root.rglob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            raise OutputError(_("cannot prepare the Chinese fonts in docgen's cache folder {folder}: {reason}; "
                                "{hint}").format(folder=root, reason=os_reason(e), hint=_(CACHE_HINT))) from e
    return conf


def face_file(cache: Path, psname: str = "NotoSansCJKsc-Regular") -> Path:
    """Path of one extracted SC face (in the cache folder `cache`)."""
    return prepare(cache).parent / "fonts" / f"{psname}.otf"


def system_face(psname: str = "NotoSansCJKsc-Regular") -> tuple[Path, int]:
    """The installed Noto CJK collection holding the SC face `psname` and the face's index in
    it, for code that reads a face without LibreOffice (chart labels); nothing is written."""
    return _system_face(psname)


@lru_cache(maxsize=8)
def _system_face(psname: str) -> tuple[Path, int]:
    from fontTools.ttLib import TTCollection

    name = next((n for n, (_, ps) in FACES.items() if ps == psname), None)
    collection = _collections().get(name or "")
    if name is None or collection is None:
        raise ConversionError(_fonts_missing([name or psname]))
    family = FACES[name][0]
    for index, face in enumerate(TTCollection(str(collection), lazy=True).fonts):
        if face["name"].getDebugName(1) == family:
            return collection, index
    raise ConversionError(_no_face(collection, family))


def subset_ttf(text: str, cache: Path, psname: str = "NotoSansCJKsc-Regular") -> Path:
    """A small TrueType subset of an SC face covering `text`, for PDF pages drawn by docgen itself.

    Why: reportlab embeds TrueType outlines only; the SC faces are CFF. The subset (a few hundred
    glyphs at most) is converted to quadratic outlines in well under a second and cached by its
    character set.
    """
    chars = "".join(sorted(set(text + "0123456789 /")))
    key = hashlib.sha256(f"{psname}|{chars}|v2".encode()).hexdigest()[:16]
    dest = prepare(cache).parent / "subsets" / f"{psname}-{key}.ttf"
    if dest.exists():
        return dest
    with cache_lock(dest.parent):
        if dest.exists():
            return dest
        try:
            return _write_subset(dest, face_file(cache, psname), chars, key, psname)
        except OSError as e:
            raise OutputError(_("cannot write a font subset in docgen's cache folder {folder}: {reason}; "
                                "{hint}").format(folder=dest.parent, reason=os_reason(e), hint=_(CACHE_HINT))) from e


def _write_subset(dest: Path, face: Path, chars: str, key: str, psname: str) -> Path:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(face))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = []
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"], font["glyf"] = newTable("loca"), glyf
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion, maxp.numGlyphs, maxp.maxZones = 0x00010000, len(order), 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours", "maxCompositePoints",
                 "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"
    # a PostScript name of its own: PDF writers (reportlab) identify faces by it
    font["name"].setName(f"{psname}-{key[:8]}", 6, 3, 1, 0x409)
    font["name"].setName(f"{psname}-{key[:8]}", 6, 1, 0, 0)
    tmp = _unique_tmp(dest)
    try:
        font.save(str(tmp))
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
