"""Real files of each kind that uploads accept, built in the test, and hostile ones beside them."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

_CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def png(size: tuple[int, int] = (4, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 94, 165)).save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (0, 94, 165)).save(out, format="JPEG")
    return out.getvalue()


# A fixed time in every member, so the same file built twice is the same bytes (a member named without
# one takes the clock's second, and a test comparing an upload with a second build failed across a tick).
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _zip(members: dict[str, bytes], *, stored_first: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        if stored_first:
            package.writestr(zipfile.ZipInfo(stored_first, _ZIP_TIME), members[stored_first], zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != stored_first:
                package.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx(text: str = "Our approach") -> bytes:
    body = f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>".encode()
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "word/document.xml": body})


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": _CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})


def odt() -> bytes:
    mimetype = b"application/vnd.oasis.opendocument.text"
    return _zip({"mimetype": mimetype, "content.xml": b"<office:document-content/>"}, stored_first="mimetype")


def zip_bomb_docx(unpacked_mb: int = 120) -> bytes:
    """A well-formed .docx whose one part unpacks to ``unpacked_mb`` MB of zeros (about 120 KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("word/document.xml", b"<w:document/>")
        with package.open("word/media/padding.bin", "w") as padding:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                padding.write(chunk)
    return out.getvalue()


def svg_behind_png_header() -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n" + b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'
    )


def png_with_script_after_it() -> bytes:
    return png() + b"<script>alert(document.domain)</script>"
