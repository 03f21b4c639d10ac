"""Messages in the reader's language: Chinese (zh-CN) by default, English on request.

Every message docgen prints is written in the code in English and marked for translation:

    from .i18n import _, ngettext, N_
    raise InputError(_("{field} is missing").format(field=name))
    ngettext("{n} problem found", "{n} problems found", n).format(n=n)
    HINTS = {"x": N_("write × for x")}   # marked here, translated where it is used: _(HINTS["x"])

The Chinese catalog is `locale/zh_CN/LC_MESSAGES/docgen.po`, kept with Babel's gettext tools
(`tools/catalog.py` extracts the messages into `locale/docgen.pot` and updates the catalog). It is
compiled when first needed and the compiled file is kept in docgen's cache (never next to it). A message the
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
    """The Chinese catalog, compiled from its .po file by Babel (English if it cannot be read).
    The compiled catalog is kept in docgen's cache under the hash of the .po file, so a command
    reads it in a millisecond instead of compiling it (about 0.1 s) each time."""
    with _state.lock:
        if _state.zh is None:
            try:
                source = CATALOG.read_bytes()
                kept = _kept_file(source)
                if kept is not None and kept.is_file():
                    with kept.open("rb") as f:
                        _state.zh = gettext.GNUTranslations(f)
                else:
                    compiled = _compile(source)
                    _keep(kept, compiled)
                    _state.zh = gettext.GNUTranslations(io.BytesIO(compiled))
            except (OSError, ImportError, ValueError):  # a broken install: English rather than nothing
                _state.zh = gettext.NullTranslations()
        return _state.zh


def _compile(source: bytes) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale="zh_CN", domain="docgen")
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _kept_file(source: bytes) -> Path | None:
    """Where the compiled catalog of `source` is kept, or None without a usable cache folder."""
    import hashlib
    import os

    from .config import default_cache_dir

    try:
        folder = default_cache_dir(os.environ) / "locale"
    except (OSError, RuntimeError, KeyError):  # no home folder: compile in memory
        return None
    return folder / f"docgen-zh_CN-{hashlib.sha256(source).hexdigest()[:16]}.mo"


def _keep(path: Path | None, compiled: bytes) -> None:
    """Write the compiled catalog where the next command finds it; a cache that cannot be
    written only costs the next command the compilation."""
    if path is None:
        return
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".docgen-tmp-", suffix=".mo")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(compiled)
            os.replace(tmp, path)  # atomic: another process reads the old file or the whole new one
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass


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
