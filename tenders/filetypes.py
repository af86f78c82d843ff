"""The kinds of file providers and councils may upload, by extension, with the bytes each kind
starts with (checked too, so a renamed program is refused). No Django imports.

Bid attachments (``tenders.services.bids``) and tender documents (``tenders.services.publication``)
each accept a subset of these kinds and word their own messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

ZIP = (b"PK\x03\x04",)  # .docx, .xlsx and the OpenDocument formats are zip files
OLE = (b"\xd0\xcf\x11\xe0",)  # old Word and Excel files


@dataclass(frozen=True)
class FileKind:
    content_type: str
    # What the file must start with; empty for text formats, which are checked as text instead.
    signatures: tuple[bytes, ...]

    def matches(self, head: bytes) -> bool:
        return not self.signatures or head.startswith(self.signatures)


FILE_KINDS: dict[str, FileKind] = {
    ".pdf": FileKind("application/pdf", (b"%PDF-",)),
    ".doc": FileKind("application/msword", OLE),
    ".docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xls": FileKind("application/vnd.ms-excel", OLE),
    ".xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".odt": FileKind("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": FileKind("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".odp": FileKind("application/vnd.oasis.opendocument.presentation", ZIP),
    ".csv": FileKind("text/csv", ()),
    ".png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
}


def extension(filename: str) -> str:
    """The file name's extension, lower case with its dot (".pdf"), or "" when it has none."""
    return PurePath(filename).suffix.lower()


def kinds(*extensions: str) -> dict[str, FileKind]:
    """The kinds for the given extensions, for one upload's allow-list."""
    return {ext: FILE_KINDS[ext] for ext in extensions}
