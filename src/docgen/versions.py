"""What shapes an output besides the data: the versions of docgen, LibreOffice and the fonts.

Every output's manifest entry carries these, so that an upgrade of any of them makes the
documents again and `docgen verify` notices it.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

from .config import Settings
from .errors import ConversionError, DocgenError
from .office import soffice_binary


def code_fingerprint(root: Path | None = None) -> str:
    """`__version__` and a hash of docgen's own installed files (code, font configuration; not the
    message catalogs, which change no document), so
    that any change to the code that makes documents rebuilds them and `verify` notices it.
    Hashing the package's few hundred kilobytes takes about a millisecond."""
    import hashlib

    from . import __version__

    root = root or Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo") \
                and path.relative_to(root).parts[0] != "locale":  # messages do not make documents
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:16]}"


def tools_fingerprint(settings: Settings, pdf: bool = True) -> dict[str, str]:
    """What shapes the output besides the data: docgen's code, LibreOffice and the fonts."""
    if not pdf:
        return {"docgen": code_fingerprint(), "libreoffice": "-", "fonts": "-"}
    from .fonts import prepare

    return {"docgen": code_fingerprint(), "libreoffice": libreoffice_version(settings.cache_dir),
            "fonts": prepare(settings.cache_dir).parent.name}


def libreoffice_version(cache_dir: Path) -> str:
    """The `soffice --version` line, for the manifest.

    Asking LibreOffice takes about 0.1 s, a good part of a no-op rebuild, so the answer is kept
    in docgen's cache folder keyed by the installation's version file (its size and time change
    with every LibreOffice upgrade).
    """
    try:
        binary = Path(soffice_binary()).resolve()
    except ConversionError:
        return "unknown"
    marker = binary.parent / "versionrc"
    try:
        st = (marker if marker.exists() else binary).stat()
        key = f"{binary}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        key = ""
    cache = cache_dir / "libreoffice-version.json"
    if key:
        try:
            saved = json.loads(cache.read_text(encoding="utf-8"))
            if saved.get("key") == key:
                return str(saved["version"])
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return "unknown"
    version = out.stdout.strip() or "unknown"
    if key and version != "unknown":
        from .outputs import write_atomic

        with contextlib.suppress(DocgenError):  # an unwritable cache only costs the 0.1 s next time
            write_atomic(cache, json.dumps({"key": key, "version": version}).encode("utf-8"))
    return version
