"""The one vocabulary of law actions (``ANNOTATION.md``, "Law actions"), with no
heavy imports, so the command line can offer it before opening anything."""

from __future__ import annotations

RELATIONS = ("sponsor", "sign", "veto", "vote_for", "vote_against", "pass", "challenge",
             "rule", "enforce", "support", "oppose")
