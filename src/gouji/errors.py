"""Errors that reach the user. Each carries a stable code, like spaCy's E-codes."""

from __future__ import annotations

from gouji.paths import display_path


class GoujiError(Exception):
    """An error about the user's input, shown as one line without a traceback."""

    code = "G000"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{display_path(self.path)}: " if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"gouji: error {self.code}: {where}{self.message}{hint}"


class InputNotFound(GoujiError):
    code = "G001"


class UnreadableInput(GoujiError):
    code = "G002"


class EmptyInput(GoujiError):
    code = "G003"


class NoDocuments(GoujiError):
    code = "G004"


class UnsupportedFormat(GoujiError):
    code = "G005"


class NoTextLayer(GoujiError):
    """A PDF whose pages are images: there is nothing to read without OCR."""

    code = "G006"


class InputTooLarge(GoujiError):
    """A file beyond a declared limit (``gouji/data/limits.yaml``): refused before it is inflated."""

    code = "G007"


class OutputNotWritable(GoujiError):
    """An output file or folder that cannot be written (no permission, not a folder, disk full)."""

    code = "G008"


class DocumentTimeout(GoujiError):
    """A document whose review took longer than the per-document time limit."""

    code = "G009"


class WorkerLost(GoujiError):
    """The process reviewing a document died (killed, or out of memory)."""

    code = "G010"


class ClusterUnavailable(GoujiError):
    """The dask cluster of ``--scheduler`` cannot be used: dask.distributed is not installed
    (the ``cluster`` extra), its scheduler cannot be reached, or its workers run another gouji."""

    code = "G011"


class NeedsPdf(GoujiError):
    """An output that only a PDF input can have (``--format pdf``: the annotated PDF) asked of
    another kind of input."""

    code = "G012"
