"""The exceptions mapapp raises; every one names what went wrong and where."""
from __future__ import annotations


class MapappError(Exception):
    """Base class of every error mapapp raises on purpose."""


class CorpusError(MapappError):
    """A file or folder could not be read as a text document."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class GazetteerError(MapappError):
    """The shipped gazetteer data is missing or malformed."""


class GeocoderError(MapappError):
    """A geocoder could not answer (unknown service, network failure, bad reply)."""


class UnknownGeocoderError(GeocoderError):
    """No geocoder is registered under the requested name."""


class CorrectionsError(MapappError):
    """The user's corrections file cannot be read: it names the file and the problem."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
