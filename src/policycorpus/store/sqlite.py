"""sqlite-utils, imported without numpy when nothing has loaded numpy yet.

sqlite-utils imports numpy, if installed, only to map numpy values to
column types on insert; policycorpus never passes any. numpy is installed
(spaCy needs it) and importing it would add a tenth of a second to every
query command, which never needs spaCy. Import sqlite-utils from here.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _import_sqlite_utils() -> ModuleType:
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        import sqlite_utils

        return sqlite_utils
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" fails meanwhile
    try:
        import sqlite_utils
    finally:
        del sys.modules["numpy"]
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()
