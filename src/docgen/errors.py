"""All exceptions raised by docgen, under one root.

    DocgenError            a problem the user can fix; the CLI prints it and exits 1
    ├── InputError         problems in the data files, each with file:line:col
    ├── TemplateError      a template is broken or does not fit the data
    ├── ConversionError    LibreOffice is missing, failed, or wrote a bad PDF
    ├── BundleError        a bundle member or the bundle itself is unusable
    ├── OutputError        the output folder cannot be written or is locked
    └── RequestError       a command asked for a key, vendor or bundle the data does not have,
                           or for something incomplete (exit code 2, like any usage error)

Anything else that escapes is a bug in docgen and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file."""

    file: str
    line: int | None
    col: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DocgenError(Exception):
    """Raised for any problem the user can fix."""


class InputError(DocgenError):
    """Raised when data files are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.col or 0, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        n = len(self.problems)
        head = "\n".join(str(p) for p in self.problems)
        from .i18n import ngettext

        return head + "\n" + ngettext("{n} problem found; nothing was written.",
                                      "{n} problems found; nothing was written.", n).format(n=n)


class TemplateError(DocgenError):
    """Raised when a template cannot be read, checked or rendered."""


class ConversionError(DocgenError):
    """Raised when a DOCX cannot be turned into a valid PDF."""


class BundleError(DocgenError):
    """Raised when a PDF bundle cannot be assembled."""


class OutputError(DocgenError):
    """Raised when outputs cannot be written (read-only, full, or locked folder)."""


class RequestError(DocgenError):
    """Raised when a command asks for a record, vendor or bundle the data does not have, or its
    options do not go together; the CLI treats it as a usage error (exit code 2)."""
