"""propscan's exceptions: one base class, one subclass per kind of failure."""


class PropscanError(Exception):
    """Base class of every error propscan raises on purpose."""


class InputError(PropscanError):
    """An input cannot be read as an article (missing, empty, binary, undecodable, too large)."""


class UnknownTechnique(PropscanError):
    """A technique label that is not one of the 14 SemEval-2020 classes."""


class CorpusFormatError(PropscanError):
    """A PTC article folder or label file is malformed."""


class ModelNotFound(PropscanError):
    """A model directory is missing, incomplete, or of an unknown kind."""


class StoreError(PropscanError):
    """The corpus store cannot be opened or used (bad URL, unreachable server, failed query)."""


class QueryError(StoreError):
    """A corpus query the store cannot answer as asked: a bad condition or date, an unknown
    grouping, a group without articles (the server answers 422, not 503)."""


class DoubtfulInput(UserWarning):
    """An input was read, but on a guess the user should check (e.g. its text encoding)."""
