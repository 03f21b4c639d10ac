"""Keep docgen's message catalogs with Babel's gettext tools.

    python tools/catalog.py update          extract the messages of src/docgen (and click's own,
                                            which the CLI shows in the reader's language too) into
                                            src/docgen/locale/docgen.pot, and bring the Chinese
                                            catalog docgen.po up to date with it (new messages are
                                            added untranslated, gone ones removed)
    python tools/catalog.py merge A.po …    copy the translations of A.po … into docgen.po for the
                                            messages it has
    python tools/catalog.py check P.po F.py …
                                            the messages of the files F.py … that P.po does not
                                            translate, or translates with other {placeholders}
    python tools/catalog.py missing         list the messages docgen.po does not translate (exit 1
                                            when there are any)
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "docgen" / "locale"
POT = LOCALE / "docgen.pot"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "docgen.po"
FIXED_DATE = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)  # so an update changes only messages
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}


def extract() -> Catalog:
    """Every marked message of docgen and of click."""
    catalog = Catalog(project="docgen", domain="docgen", fuzzy=False, copyright_holder="docgen",
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    sources = [(ROOT / "src" / "docgen", "docgen"), (Path(click.__file__).parent, "click")]
    for folder, origin in sources:
        method_map = [("**.py", "python")]
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            catalog.add(message, None, [(f"{origin}/{filename}", lineno)], auto_comments=comments,
                        context=context)
    sys.path.insert(0, str(ROOT / "src"))
    from docgen.cli import cli, help_texts

    for thing, attr, text in help_texts(cli):
        name = getattr(thing, "name", "") or ""
        catalog.add(text, None, [("docgen/cli.py", 0)], auto_comments=[f"--help: {name} ({attr})"])
    return catalog


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="zh_CN", domain="docgen")


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True, sort_output=True, omit_header=False,
                 ignore_obsolete=True)


def update() -> None:
    template = extract()
    _write(POT, template)
    po = _read(PO) if PO.exists() else Catalog(locale="zh_CN", domain="docgen", project="docgen", fuzzy=False,
                                                  copyright_holder="docgen", creation_date=FIXED_DATE,
                                                  revision_date=FIXED_DATE)
    po.update(template, no_fuzzy_matching=True, update_creation_date=False)
    po.revision_date = FIXED_DATE
    po.obsolete.clear()
    _write(PO, po)
    print(f"{POT.relative_to(ROOT)}: {len(template)} messages; {PO.relative_to(ROOT)}: {len(missing(po))} untranslated")


def missing(po: Catalog) -> list[str]:
    out = []
    for m in po:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def merge(parts: list[str]) -> None:
    po = _read(PO)
    taken = 0
    for part in parts:
        for m in _read(Path(part)):
            if m.id and m.string and m.id in po and not m.fuzzy:
                po[m.id].string = m.string
                po[m.id].flags.discard("fuzzy")
                taken += 1
    _write(PO, po)
    print(f"{taken} translations taken; {len(missing(po))} untranslated")


def placeholders(text: str) -> set[str]:
    """The {names} of a str.format message."""
    import string

    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<not a valid format string>"}


def check(part: str, files: list[str]) -> int:
    from babel.messages.extract import extract_from_file

    po = _read(Path(part))
    bad = 0
    for file in files:
        for lineno, message, _comments, _context in extract_from_file(
                "python", file, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
            key = message[0] if isinstance(message, tuple) else message
            if not key:
                continue
            entry = po.get(message) or po.get(key)
            strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
            if entry is None or not all(strings):
                print(f"{file}:{lineno}: untranslated: {key!r}")
                bad += 1
                continue
            ids = message if isinstance(message, tuple) else (message,)
            want = set().union(*(placeholders(i) for i in ids))
            for text in strings:
                if placeholders(text) != want and "%" not in key:
                    print(f"{file}:{lineno}: placeholders differ: {key!r}: {sorted(want)} vs {text!r}")
                    bad += 1
    print(f"{bad} problem(s)")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["merge"]:
        merge(argv[1:])
    elif argv[:1] == ["check"] and len(argv) >= 3:
        return check(argv[1], argv[2:])
    elif argv[:1] == ["missing"]:
        gaps = missing(_read(PO))
        for m in gaps:
            print(m)
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
