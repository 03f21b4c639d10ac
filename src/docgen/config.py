"""Where a project's files are and how docgen runs: `docgen.toml`, command-line options and the
environment, read here and nowhere else.

Why: the library below this module receives its folders and settings as arguments, so a test,
a web front end or a second project in the same process can use other ones, and a user can see
in one place what a build reads. Precedence: command-line option, then `docgen.toml`, then the
default. Environment variables only set machine-level things (the cache folder, the Python that drives LibreOffice).

A `docgen.toml` (every key optional; relative paths are relative to the file's folder):

    [project]
    data = "data"            # the YAML and CSV files
    templates = "templates"  # the DOCX templates (contracts/, forms/)
    out = "out"              # where documents, bundles and the manifest go
    cache = ""               # docgen's cache (default: $DOCGEN_CACHE or ~/.cache/docgen)
    jobs = 2                 # parallel LibreOffice workers (default: CPU count)
    history = 0              # builds whose files out/.history keeps (0, the default: every build;
                             # the versions of signed agreements' documents are always kept)
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError, Problem
from .i18n import N_, _

CONFIG_NAME = "docgen.toml"


@dataclass(frozen=True)
class _ProjectTable:
    """The [project] table of docgen.toml (checked by hand: this module is imported by every
    command, and a pydantic model here would cost a no-op build a fifth of a second)."""

    data: str = "data"
    templates: str = "templates"
    out: str = "out"
    cache: str = ""
    jobs: int | None = None
    history: int = 0


_KEYS: dict[str, type] = {"data": str, "templates": str, "out": str, "cache": str, "jobs": int, "history": int}


def language_from(environ: Mapping[str, str]) -> str:
    """The language of docgen's messages from the environment: $DOCGEN_LANG, else the locale
    ($LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG, the first one set). English for an English locale,
    Chinese for every other one, and when none is set (a C or POSIX locale included)."""
    for name in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").split(":")[0].strip()
        if value and value.upper() not in ("C", "POSIX") and not value.upper().startswith("C."):
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    """$DOCGEN_CACHE, else $XDG_CACHE_HOME/docgen, else ~/.cache/docgen.

    Without a usable home folder (HOME unset and no passwd entry, or HOME not a folder), the
    cache goes to a per-user folder in the system's temporary folder.
    """
    if environ.get("DOCGEN_CACHE"):
        return Path(environ["DOCGEN_CACHE"])
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "docgen"
    try:
        home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    except (RuntimeError, KeyError, OSError):
        home = None
    if home is None or not home.is_dir() or not os.access(home, os.W_OK | os.X_OK):
        return Path(tempfile.gettempdir()) / f"docgen-cache-{os.getuid()}"
    return home / ".cache" / "docgen"


@dataclass(frozen=True)
class Settings:
    """How docgen runs on this machine (not what it makes).

    cache_dir: extracted fonts, font subsets, template checks, tool versions.
    uno_python: a Python that can `import uno`, tried first ($DOCGEN_UNO_PYTHON).
    malloc_tuning: give LibreOffice glibc malloc thresholds that reuse its font buffers
        ($DOCGEN_MALLOC_TUNING=0 turns it off).
    """

    cache_dir: Path
    uno_python: str | None = None
    malloc_tuning: bool = True
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from environment variables (os.environ by default)."""
        env = dict(os.environ if environ is None else environ)
        return cls(cache_dir=default_cache_dir(env), uno_python=env.get("DOCGEN_UNO_PYTHON") or None,
                   malloc_tuning=env.get("DOCGEN_MALLOC_TUNING", "1") != "0", environ=env)


@dataclass(frozen=True)
class ProjectConfig:
    """The folders of one project and its defaults, after docgen.toml and the options."""

    root: Path
    data_dir: Path
    templates_dir: Path
    out_dir: Path
    jobs: int | None
    settings: Settings
    config_file: Path | None = None
    history_keep: int = 0  # builds kept in OUT/.history (0: all)

    def with_options(self, *, data_dir: Path | None = None, templates_dir: Path | None = None,
                     out_dir: Path | None = None, jobs: int | None = None) -> ProjectConfig:
        """The same project with command-line options applied (None keeps the configured value)."""
        return replace(self, data_dir=data_dir if data_dir is not None else self.data_dir,
                       templates_dir=templates_dir if templates_dir is not None else self.templates_dir,
                       out_dir=out_dir if out_dir is not None else self.out_dir,
                       jobs=jobs if jobs is not None else self.jobs)


def load_config(root: Path | str = ".", *, environ: Mapping[str, str] | None = None) -> ProjectConfig:
    """The project in folder `root`: its docgen.toml if there is one, defaults otherwise.

    `root` may also name a docgen.toml file. Raises InputError naming the file, line and key
    for a config file that cannot be read or has unknown keys or wrong values.
    """
    root = Path(root)
    file = root if root.suffix == ".toml" else root / CONFIG_NAME
    folder = file.parent
    settings = Settings.from_environment(environ)
    table = _ProjectTable()
    found: Path | None = None
    if file.is_file():
        found = file
        table = _read(file)
    elif root.suffix == ".toml":
        raise InputError([Problem(str(file), None, None, "", _("config file not found"))])

    def path(value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else folder / p

    if table.cache:
        settings = replace(settings, cache_dir=path(table.cache))
    return ProjectConfig(root=folder, data_dir=path(table.data), templates_dir=path(table.templates),
                         out_dir=path(table.out), jobs=table.jobs, settings=settings, config_file=found,
                         history_keep=table.history)


def _read(file: Path) -> _ProjectTable:
    try:
        text = file.read_text(encoding="utf-8-sig")  # a byte order mark (as Windows Notepad writes) is dropped
    except UnicodeDecodeError as e:
        raise InputError([Problem(str(file), None, None, "", _(
            "is not {encoding} (byte 0x{byte:02X}); save the file as UTF-8").format(
                encoding="UTF-8", byte=e.object[e.start]))]) from e
    except OSError as e:
        from .outputs import os_reason

        raise InputError([Problem(str(file), None, None, "",
                                  _("cannot be read ({reason})").format(reason=os_reason(e)))]) from e
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        at = re.search(r"\(at line (\d+), column (\d+)\)", str(e))  # Python 3.14 also has e.lineno
        line, col = (int(at.group(1)), int(at.group(2))) if at else (None, None)
        message = str(e).split(" (at ")[0]
        raise InputError([Problem(str(file), line, col, "",
                                  _toml_message(message))]) from e
    problems: list[Problem] = []

    def problem(loc: tuple[str, ...], message: str) -> None:
        problems.append(Problem(str(file), _line_of(text, loc), None, ".".join(loc), message))

    for key in raw:
        if key != "project":
            problem((key,), _("unknown key"))
    table = raw.get("project", {})
    values: dict[str, object] = {}
    if not isinstance(table, dict):
        problem(("project",), _("should be a table: [project]"))
        table = {}
    for key, value in table.items():
        kind = _KEYS.get(key)
        if kind is None:
            problem(("project", key), _("unknown key"))
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            problem(("project", key), _("should be a whole number, like 2"))
        elif key == "jobs" and not 1 <= value <= 64:
            problem(("project", key), _("should be between 1 and 64"))
        elif key == "history" and value < 0:
            problem(("project", key), _("should be 0 (keep every build) or how many builds to keep, like 20"))
        elif kind is str and not isinstance(value, str):
            problem(("project", key), _('should be a folder path in quotes, like "data"'))
        else:
            values[key] = value
    if problems:
        raise InputError(problems)
    return _ProjectTable(**values)  # type: ignore[arg-type]


# what Python's TOML reader says (in English) for the mistakes people make in docgen.toml
_TOML_PROBLEMS = {
    "Invalid value": N_('not valid TOML: this value cannot be read; write text in quotes, like "data", and '
                        "numbers without them"),
    "Expected '=' after a key in a key/value pair": N_("not valid TOML: expected '=' after the key; write "
                                                       'key = value, like data = "data"'),
    "Expected ']' at the end of a table declaration": N_("not valid TOML: the table name is not closed with ']'; "
                                                         "write [project]"),
    "Cannot overwrite a value": N_("not valid TOML: this key is set twice; keep one of them"),
    "Unescaped '\\' in a string": N_("not valid TOML: a backslash \\ in double quotes; write the path in single "
                                     "quotes, like 'D:\\docgen\\data', or with /"),
    "Expected newline or end of document after a statement": N_("not valid TOML: more text after the value; "
                                                                "write one setting per line"),
}


def _toml_message(message: str) -> str:
    """What is wrong in a docgen.toml, from the TOML reader's `message`."""
    known = _TOML_PROBLEMS.get(message)
    if known:
        return _(known)
    if message.startswith("Cannot declare") and message.endswith("twice"):
        return _("not valid TOML: this table is declared twice; keep one [project]")
    return _("not valid TOML: cannot read this ({detail})").format(detail=message)


def _line_of(text: str, loc: tuple[str, ...]) -> int | None:
    """The line where the last key of `loc` is set (good enough for a flat config file)."""
    key = str(loc[-1]) if loc else ""
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith((key + " ", key + "=", f"[{key}]")):
            return n
    return None
