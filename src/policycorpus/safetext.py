"""Text from the corpus made safe to print on a terminal.

A document's title, text, file name or an entity name may hold terminal
control sequences (``ESC ] 52`` writes the clipboard, ``ESC ] 0`` sets the
window title, ``ESC [ 2J`` clears the screen). ``clean`` makes every control
character visible instead: C0 controls (except newline and tab) become their
Unicode control pictures (``ESC`` is shown as ``␛``), DEL ``␡``, carriage
return a space and C1 controls ``�``. One character stays one character, so
offsets into a text (mentions, search matches) still hold after cleaning.

``json_safe`` does the same for JSON output without losing data: DEL and C1
controls, which ``json.dumps`` leaves raw, are written as ``\\u`` escapes.
"""

from __future__ import annotations

import re

_KEEP = {0x09, 0x0A}  # tab, newline
_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in _KEEP}
_TABLE[0x0D] = " "
_TABLE[0x7F] = "\u2421"
_TABLE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` with every control character but newline and tab made visible."""
    return text.translate(_TABLE) if _UNSAFE.search(text) else text


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a character ``clean`` would replace."""
    return _UNSAFE.search(text) is not None


def json_safe(dumped: str) -> str:
    """A JSON document with DEL and C1 controls escaped (the same data, safe to print)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
