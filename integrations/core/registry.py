"""What a normalizer is and what it raises. Which source uses which normalizer is its declaration's
business (``common.sources.SourceDeclaration.normalizer``)."""

from collections.abc import Callable
from typing import Any

# A normalizer turns one raw record into a row for its sink. ``context`` carries reference data
# (e.g. the project mapping) as plain values, so normalizers never query the database.
Normalizer = Callable[[dict, dict], Any]


class NormalizationError(ValueError):
    """A raw record cannot be normalized; the message names the field and the value."""
