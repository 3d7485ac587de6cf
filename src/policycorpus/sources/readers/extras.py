"""Import the library of an optional input format, or say which extra installs it."""

from __future__ import annotations

import importlib
from types import ModuleType

from policycorpus.errors import InputError


def require(module: str, extra: str, file_name: str) -> ModuleType:
    """Import ``module``; if it is missing raise an ``InputError`` naming the extra.

    The message reads "reading letter.pdf needs the pdf extra: pip install
    'policycorpus[pdf]'".
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise InputError(
            f"reading {file_name} needs the {extra} extra: pip install 'policycorpus[{extra}]'"
        ) from exc
