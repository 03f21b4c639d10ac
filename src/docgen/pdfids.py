"""Number the Type 1 fonts of a LibreOffice PDF per document, so the same document gives the
same bytes whatever LibreOffice converted before it.

Standard library only: besides docgen, the UNO worker (uno_worker.py, run by the Python that
has LibreOffice's bridge) imports this file, so the work is done in the worker's process while
docgen goes on rendering.
"""

from __future__ import annotations

import re
import zlib

_FONT_FILE = re.compile(rb"\n(\d+) 0 obj\s*<<([^>]*?/Length1 (\d+)[^>]*?)>>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)( 0 R)?")
_UNIQUE_ID = re.compile(rb"/UniqueID (\d+) def")
_EEXEC_KEY, _C1, _C2 = 55665, 52845, 22719
UNIQUE_ID_BASE = 4100000  # where LibreOffice's count of the Type 1 fonts it has written starts


_NEXT = [(x * _C1 + _C2) & 0xFFFF for x in range(256 + 0x10000)]  # eexec state after (cipher + state)


def _eexec_state(cipher: bytes) -> int:
    """The eexec state after decrypting `cipher` from the start."""
    r = _EEXEC_KEY
    for c in cipher:
        r = _NEXT[c + r]
    return r


def _eexec_plain(cipher: bytes, r: int) -> bytes:
    """Decrypt `cipher` (Adobe Type 1 Font Format, ch. 7) from state `r`."""
    out = bytearray(len(cipher))
    for i, c in enumerate(cipher):
        out[i] = c ^ (r >> 8)
        r = _NEXT[c + r]
    return bytes(out)


def _eexec_replace(cipher: bytes, at: int, text: bytes) -> bytes:
    """`cipher` with the plain text at `at` replaced by `text` (as long), encrypted again from
    there on. After the replaced bytes the plain text is the same, so each new byte is the old
    one XOR the difference of the two states (about 0.2 µs a byte)."""
    r_old = r_new = _eexec_state(cipher[:at])
    out = bytearray(cipher)
    nxt = _NEXT
    for i, p in enumerate(text, at):
        c_old = cipher[i]
        c_new = p ^ (r_new >> 8)
        out[i] = c_new
        r_old, r_new = nxt[c_old + r_old], nxt[c_new + r_new]
    i = at + len(text)
    for c in cipher[i:]:
        c_new = c ^ ((r_old ^ r_new) >> 8)
        out[i] = c_new
        i += 1
        r_old = nxt[c + r_old]
        r_new = nxt[c_new + r_new]
    return bytes(out)


def _numbered_fonts(font: bytes, clear: int, binary: int, number: int) -> bytes | None:
    """A Type 1 font program with its /UniqueID (in the clear part and in the encrypted private
    dictionary) replaced by UNIQUE_ID_BASE + `number`, or None when it has other ones."""
    wanted = str(UNIQUE_ID_BASE + number).encode()
    head, secret, tail = font[:clear], font[clear:clear + binary], font[clear + binary:]
    found = _UNIQUE_ID.search(head)
    if found is None or len(found.group(1)) != len(wanted):
        return None
    if found.group(1) == wanted:
        return font
    head = head[:found.start(1)] + wanted + head[found.end(1):]
    inner = _UNIQUE_ID.search(_eexec_plain(secret[:4096], _EEXEC_KEY))  # in the private dictionary
    if inner is not None and len(inner.group(1)) == len(wanted):
        secret = _eexec_replace(secret, inner.start(1), wanted)
    return head + secret + tail


def renumber_type1(data: bytes) -> bytes:
    """The PDF with its embedded Type 1 fonts numbered 1, 2, … in the order they appear.

    Why: LibreOffice converts the CFF faces to Type 1 and gives each a /UniqueID from a counter
    that runs for the life of the LibreOffice process, so the same document converted after
    another gets other numbers, and other bytes; and it does not always compress the same font
    to the same bytes. Each font stream is packed again by zlib. The streams change length, so the xref table
    is rewritten with the new offsets. A file laid out otherwise is returned unchanged.
    """
    start = data.rfind(b"startxref")
    try:
        xref_at = int(data[start + 9:].split()[0])
    except (ValueError, IndexError):
        return data
    head = re.match(rb"xref\r?\n0 (\d+)\r?\n", data[xref_at:xref_at + 40])
    if head is None:
        return data
    count = int(head.group(1))
    table_at = xref_at + head.end()
    if data[table_at + 20 * count:table_at + 20 * count + 7] != b"trailer":
        return data
    patches: list[tuple[int, int, bytes]] = []
    number = 0
    for found in _FONT_FILE.finditer(data):
        info = found.group(2)
        if b"/FlateDecode" not in info or b"/Length2" not in info:
            continue
        length = _LENGTH.search(info)
        clear = re.search(rb"/Length2 (\d+)", info)
        if length is None or clear is None:
            continue
        body = found.end()
        if length.group(2):  # an indirect length: look the number up
            ref = re.search(rb"\n" + length.group(1) + rb" 0 obj\s*(\d+)\s*endobj", data)
            if ref is None:
                return data
            size, size_span = int(ref.group(1)), ref.span(1)
        else:
            size, size_span = int(length.group(1)), (found.start(2) + length.start(1), found.start(2) + length.end(1))
        try:
            font = zlib.decompress(data[body:body + size])
        except zlib.error:
            return data
        number += 1
        renumbered = _numbered_fonts(font, int(found.group(3)), int(clear.group(1)), number)
        if renumbered is None:
            return data
        packed = zlib.compress(renumbered, 6)  # LibreOffice itself packs one font differently at times
        if packed == data[body:body + size]:
            continue
        patches.append((body, body + size, packed))
        patches.append((*size_span, str(len(packed)).encode()))
    if not patches:
        return data
    patches.sort()
    out = bytearray()
    shifts: list[tuple[int, int]] = []  # (old position, total shift after it)
    pos = total = 0
    for a, b, new in patches:
        out += data[pos:a] + new
        pos = b
        total += len(new) - (b - a)
        shifts.append((b, total))
    out += data[pos:]

    def moved(offset: int) -> int:
        shift = 0
        for end, after in shifts:
            if end <= offset:
                shift = after
        return offset + shift

    new_table_at = moved(table_at)
    for i in range(count):
        at = new_table_at + 20 * i
        entry = bytes(out[at:at + 20])
        if entry[17:18] == b"n":
            out[at:at + 10] = b"%010d" % moved(int(entry[:10]))
    new_start = moved(start)
    tail = re.match(rb"startxref\r?\n(\d+)", bytes(out[new_start:new_start + 40]))
    if tail is None:
        return data
    out[new_start + tail.start(1):new_start + tail.end(1)] = str(moved(xref_at)).encode()
    return bytes(out)
