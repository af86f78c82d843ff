"""The kinds of file providers and councils may upload, by extension, with the bytes each kind
starts with (checked too, so a renamed program is refused), and a check of the content behind
those bytes (:func:`content_problem`): office files must be whole zip packages with their
expected parts and no more than ``MAX_UNPACKED_BYTES`` unpacked (no zip bombs), images must
decode as the image their name says (no SVG or script behind a PNG header). No Django imports.

Bid attachments (``tenders.services.bids``) and tender documents (``tenders.services.publication``)
each accept a subset of these kinds and word their own messages.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

# Problems found by content_problem(), for the services to word.
NOT_REAL = "not_real"  # damaged, or another kind of file behind the right first bytes
UNPACKS_TOO_LARGE = "unpacks_too_large"  # a zip bomb, or a package far larger than any document

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
UNPACKS_TOO_LARGE_TEXT = (
    "The file unpacks to far more than a document does (over 100 MB, or too much for its size): "
    "save it again without embedded files or large pictures and upload it"
)
# Office XML compresses about 5-20 times; 1 KB packed into 1 MB is no document.
MAX_RATIO = 200
MAX_MEMBERS = 5000
MAX_IMAGE_PIXELS = 40_000_000  # about 8,000 by 5,000: a photograph, not a decompression bomb

ZIP = (b"PK\x03\x04",)  # .docx, .xlsx and the OpenDocument formats are zip files
OLE = (b"\xd0\xcf\x11\xe0",)  # old Word and Excel files


def _zip_problem(data: bytes, required: tuple[str, ...], mimetype: str = "") -> str | None:
    """A whole zip with the ``required`` members (and an OpenDocument ``mimetype``), unpacking small.

    Sizes in the zip's directory can lie, so the members are unpacked (streamed, never held)
    and counted, stopping at the limit.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            if len(members) > MAX_MEMBERS:
                return UNPACKS_TOO_LARGE
            if not set(required) <= names:
                return NOT_REAL
            declared = sum(member.file_size for member in members)
            if declared > MAX_UNPACKED_BYTES or declared > MAX_RATIO * max(len(data), 1):
                return UNPACKS_TOO_LARGE
            if mimetype and package.read("mimetype").strip() != mimetype.encode():
                return NOT_REAL
            unpacked = 0
            for member in members:
                with package.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * len(data):
                            return UNPACKS_TOO_LARGE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        return NOT_REAL  # damaged, encrypted, or an unknown compression
    return None


def _image_problem(data: bytes, image_format: str) -> str | None:
    """Decodes fully as ``image_format`` (Pillow), not too many pixels, and nothing after a PNG's end."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return UNPACKS_TOO_LARGE
            image.verify()  # the structure and checksums
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            image.load()  # the pixels themselves
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError):
        return NOT_REAL
    # A PNG ends with its IEND chunk and its CRC: anything after it (a script, an SVG) is a stowaway.
    if image_format == "PNG" and not data.endswith(b"IEND\xaeB`\x82"):
        return NOT_REAL
    return None


def _package(*required: str, mimetype: str = "") -> Callable[[bytes], str | None]:
    return lambda data: _zip_problem(data, ("[Content_Types].xml", *required) if not mimetype else required, mimetype)


def _image(image_format: str) -> Callable[[bytes], str | None]:
    return lambda data: _image_problem(data, image_format)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    # What the file must start with; empty for text formats, which are checked as text instead.
    signatures: tuple[bytes, ...]
    # What the content behind the first bytes must be (None: the first bytes are all we check).
    structure: Callable[[bytes], str | None] | None = field(default=None, compare=False, repr=False)

    def matches(self, head: bytes) -> bool:
        return not self.signatures or head.startswith(self.signatures)

    def content_problem(self, data: bytes) -> str | None:
        """None for a real file of this kind, else NOT_REAL or UNPACKS_TOO_LARGE."""
        if not self.matches(data):
            return NOT_REAL
        return self.structure(data) if self.structure else None


_ODF = "application/vnd.oasis.opendocument."


FILE_KINDS: dict[str, FileKind] = {
    ".pdf": FileKind("application/pdf", (b"%PDF-",)),
    ".doc": FileKind("application/msword", OLE),
    ".docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, _package("word/document.xml")
    ),
    ".xls": FileKind("application/vnd.ms-excel", OLE),
    ".xlsx": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, _package("xl/workbook.xml")
    ),
    ".odt": FileKind(f"{_ODF}text", ZIP, _package("mimetype", "content.xml", mimetype=f"{_ODF}text")),
    ".ods": FileKind(f"{_ODF}spreadsheet", ZIP, _package("mimetype", "content.xml", mimetype=f"{_ODF}spreadsheet")),
    ".odp": FileKind(f"{_ODF}presentation", ZIP, _package("mimetype", "content.xml", mimetype=f"{_ODF}presentation")),
    ".csv": FileKind("text/csv", ()),
    ".png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",), _image("PNG")),
    ".jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",), _image("JPEG")),
    ".jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",), _image("JPEG")),
}


def extension(filename: str) -> str:
    """The file name's extension, lower case with its dot (".pdf"), or "" when it has none."""
    return PurePath(filename).suffix.lower()


def kinds(*extensions: str) -> dict[str, FileKind]:
    """The kinds for the given extensions, for one upload's allow-list."""
    return {ext: FILE_KINDS[ext] for ext in extensions}


# --- Attachments: what a provider may attach to a bid or a delivery return ------------------------

# One allow-list for every document a provider attaches (bid answers, delivery returns' evidence).
ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".odp", ".png", ".jpg", ".jpeg")
ATTACHMENT_KINDS_TEXT = "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods, .odp), PNG or JPEG"


@dataclass(frozen=True)
class UploadProblem:
    """Why an upload is refused: a stable ``code`` (``size``, ``empty``, ``type``, ``unpacked_size``,
    ``magic``) and the words to show next to the file field."""

    code: str
    message: str


def attachment_problem(
    filename: str,
    data: bytes,
    *,
    max_bytes: int,
    allowed: tuple[str, ...] = ATTACHMENT_EXTENSIONS,
    kinds_text: str = ATTACHMENT_KINDS_TEXT,
) -> UploadProblem | None:
    """None for an acceptable attachment, else the problem: too large, empty, a kind not allowed,
    or not really the kind its name says (first bytes, whole package, decodable image)."""
    if len(data) > max_bytes:
        return UploadProblem("size", f"The file must be smaller than {max_bytes // (1024 * 1024)} MB")
    if not data:
        return UploadProblem("empty", "The file is empty")
    ext = extension(filename)
    kind = FILE_KINDS.get(ext) if ext in allowed else None
    if kind is None:
        return UploadProblem("type", f"The file must be a {kinds_text}")
    problem = kind.content_problem(data)
    if problem == UNPACKS_TOO_LARGE:
        return UploadProblem("unpacked_size", UNPACKS_TOO_LARGE_TEXT)
    if problem:
        return UploadProblem(
            "magic", f"The file is not a real {ext.lstrip('.').upper()} file: save it again as one and upload it"
        )
    return None


def content_type_of(filename: str) -> str:
    """The content type an accepted file is served with."""
    kind = FILE_KINDS.get(extension(filename))
    return kind.content_type if kind else "application/octet-stream"
