"""Decode the bytes of a file of unknown encoding, or say why they are not text.

Real corpora mix UTF-8 (with or without a byte-order mark), UTF-16 and
UTF-32 (with or without one), Windows-1252 and Latin-1, and the odd PDF or
image renamed ``.txt``. ``decode_bytes`` tries, in order:

1. a byte-order mark (UTF-32, UTF-16, UTF-8);
2. a PDF header, which is never article text even when it is all ASCII;
3. UTF-16/UTF-32 without a mark, recognised by where the NUL bytes fall
   (ASCII letters leave a NUL in every other byte);
4. other bytes with more than a stray NUL: binary;
5. strict UTF-8; then UTF-8 with a few bad bytes, replaced by U+FFFD, if
   the valid UTF-8 sequences outweigh them (a truncated or spliced file, a
   UTF-8 article with a few Windows-1252 bytes pasted in);
6. Windows-1252, which is also right for Latin-1 text (they agree on every
   printable Latin-1 character);
7. charset-normalizer's best guess.

A result full of control characters is binary whatever decoded it; the few
stray control characters of a real text file are dropped. When bytes are
rejected, ``filetype`` names what they look like ("PNG image") for the
warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# C0 controls other than tab, newline, vertical tab, form feed and carriage
# return; DEL; the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_RATIO = 0.01
SAMPLE = 64 * 1024


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the encoding it was read with, or why it is not text."""

    text: str | None
    encoding: str = ""
    problem: str = ""


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` to text; ``text`` is None (and ``problem`` says why) for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom):].decode(encoding), encoding, data)
            except UnicodeDecodeError:
                return Decoded(None, problem=f"invalid {encoding.upper()} after its byte-order mark")
    if data.startswith(b"%PDF-"):
        return Decoded(None, problem="a PDF document, not text")
    nuls = data.count(b"\x00")
    if nuls:
        encoding = _wide_encoding(data[:SAMPLE])
        if encoding:
            try:
                return _checked(data.decode(encoding), encoding, data)
            except UnicodeDecodeError:
                pass
        if nuls > max(1, len(data) // 1000):
            return _binary(data)
    try:
        return _checked(data.decode("utf-8"), "utf-8", data)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _checked(data.decode("utf-8", errors="replace"), "utf-8", data)
    try:
        return _checked(data.decode("cp1252"), "cp1252", data)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 4 * SAMPLE] if len(data) > 4 * SAMPLE else data).best()
    if best is not None and best.encoding:
        try:
            return _checked(data.decode(best.encoding), best.encoding, data)
        except (UnicodeDecodeError, LookupError):
            pass
    return _binary(data)


def _checked(text: str, encoding: str, data: bytes) -> Decoded:
    """Reject text that is mostly control characters; drop the few stray ones."""
    controls = len(_CONTROL.findall(text))
    if controls > max(2, MAX_CONTROL_RATIO * len(text)):
        return _binary(data)
    if controls:
        text = _CONTROL.sub("", text)
    return Decoded(text, encoding)


def _wide_encoding(sample: bytes) -> str:
    """UTF-16 or UTF-32 (and the byte order) of text without a byte-order mark, or ""."""
    size = len(sample)
    if size < 4:
        return ""
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        usable = size - size % width
        units = [sample[i:i + width] for i in range(0, usable, width)]
        if not units:
            continue
        # ASCII-range text in UTF-16-LE is "x\0", in UTF-16-BE "\0x"; UTF-32 has three NULs.
        low_first = sum(1 for u in units if u[0] != 0 and not any(u[1:]))
        high_first = sum(1 for u in units if u[-1] != 0 and not any(u[:-1]))
        if low_first >= 0.6 * len(units) and high_first == 0:
            return names[0]
        if high_first >= 0.6 * len(units) and low_first == 0:
            return names[1]
    return ""


def _mostly_utf8(data: bytes) -> bool:
    """True when the valid UTF-8 sequences outweigh the bytes that are not UTF-8.

    A valid multi-byte sequence is strong evidence: in Windows-1252 or Latin-1
    text a lead byte (an accented capital) is almost never followed by the
    continuation bytes it needs, so each valid sequence counts by its bytes
    after the first (a curly quote, three bytes, counts two). A UTF-8 article
    with a few bytes pasted from another encoding (an accent, a pair of
    Windows quotes) stays UTF-8 with only those bytes replaced; a Windows-1252
    file, where nearly every non-ASCII byte is invalid, does not.
    """
    sample = data[: 4 * SAMPLE]
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    weight = sum(len(ch.encode("utf-8")) - 1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return weight >= 2 and bad <= 2 * weight


def _binary(data: bytes) -> Decoded:
    import filetype

    kind = filetype.guess(data[:8192])
    if kind is not None:
        return Decoded(None, problem=f"binary data ({kind.mime}), not text")
    return Decoded(None, problem="binary or undecodable data, not text")
