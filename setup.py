"""Package discovery, so no package can be left out of the wheel.

Metadata lives in pyproject.toml. The code packages are found under src/;
the domain data under models/ ships as ``policycorpus.models`` (the
package-dir mapping in pyproject.toml), its sub-folders found the same way.
"""

from setuptools import find_packages, setup

MODELS = "policycorpus.models"

setup(
    packages=[
        *find_packages("src"),
        MODELS,
        *(f"{MODELS}.{name}" for name in find_packages("models")),
    ],
)
