"""Messages in the reader's language: Chinese (zh-CN) by default, English on request.

Every message docgen prints is written in the code in English and marked for translation:

    from .i18n import _, ngettext, N_
    raise InputError(_("{field} is missing").format(field=name))
    ngettext("{n} problem found", "{n} problems found", n).format(n=n)
    HINTS = {"x": N_("write × for x")}   # marked here, translated where it is used: _(HINTS["x"])

The Chinese catalog is `locale/zh_CN/LC_MESSAGES/docgen.po`, kept with Babel's gettext tools
(`tools/catalog.py` extracts the messages into `locale/docgen.pot` and updates the catalog). It is
compiled in memory when first needed, so no compiled file is kept next to it. A message the
catalog does not have is printed in English; `tests/test_i18n.py` makes sure there is none.

The language is the process's: `set_language("en")`, or the locale of the environment (see
`config.language_from`), read the first time a message is needed.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import threading
from collections.abc import Iterator
from pathlib import Path

LANGUAGES = ("zh", "en")
LOCALE_DIR = Path(__file__).with_name("locale")
CATALOG = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "docgen.po"



class _State:
    """The process's language and the compiled Chinese catalog."""

    lock = threading.Lock()
    language: str | None = None
    zh: gettext.NullTranslations | None = None


_state = _State()


def _load_zh() -> gettext.NullTranslations:
    """The Chinese catalog, compiled from its .po file by Babel (English if it cannot be read)."""
    with _state.lock:
        if _state.zh is None:
            try:
                from babel.messages.mofile import write_mo
                from babel.messages.pofile import read_po

                with CATALOG.open("rb") as f:
                    catalog = read_po(f, locale="zh_CN", domain="docgen")
                compiled = io.BytesIO()
                write_mo(compiled, catalog, use_fuzzy=False)
                compiled.seek(0)
                _state.zh = gettext.GNUTranslations(compiled)
            except (OSError, ImportError, ValueError):  # a broken install: English rather than nothing
                _state.zh = gettext.NullTranslations()
        return _state.zh


def language() -> str:
    """The language messages are given in now: "zh" or "en"."""
    if _state.language is None:
        import os

        from .config import language_from

        _state.language = language_from(os.environ)
    return _state.language


def messages_id() -> str:
    """The language and, for Chinese, which catalog: what a cache of printed messages is kept by."""
    lang = language()
    if lang == "en":
        return lang
    import hashlib

    try:
        return f"{lang}-{hashlib.sha256(CATALOG.read_bytes()).hexdigest()[:12]}"
    except OSError:
        return lang


def set_language(code: str) -> None:
    """Give every message from now on in `code` ("zh" or "en"; "zh-CN", "en_US.UTF-8" … too)."""
    _state.language = normalize(code)


def normalize(code: str) -> str:
    """"zh" for Chinese and anything docgen has no catalog for, "en" for English."""
    return "en" if code.strip().lower().startswith("en") else "zh"


@contextlib.contextmanager
def use(code: str) -> Iterator[None]:
    """Messages in `code` inside the block (for tests and for a library caller's one call)."""
    before = _state.language
    set_language(code)
    try:
        yield
    finally:
        _state.language = before


def _translations() -> gettext.NullTranslations | None:
    return None if language() == "en" else _load_zh()


def _(message: str) -> str:
    """`message` in the current language."""
    t = _translations()
    return t.gettext(message) if t is not None and message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number `n` in the current language."""
    t = _translations()
    if t is None:
        return singular if n == 1 else plural
    return t.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for the marker
    """Mark `message` for the catalog without translating it yet (translate it where it is used)."""
    return message
