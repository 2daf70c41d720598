"""The pictures inside a scanned consent form, so Confide can show it without writing a file.

A scanner's PDF is one picture per page. JPEG pictures (DCTDecode) are whole JPEG files and
go to the screen as they are; uncompressed or Flate-compressed 8-bit grey or colour pictures
come back as raw pixels with their size. Anything else (a PDF of typed text, unusual colour
spaces) is reported as not showable, and the tab offers to save a copy instead.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from enum import StrEnum

from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger(__name__)

MAX_PAGES = 20
LOSSLESS_FILTERS = {"/FlateDecode", "/Fl", "/ASCII85Decode", "/A85", "/ASCIIHexDecode", "/AHx"}


class PictureFormat(StrEnum):
    ENCODED = "encoded"  # a whole PNG or JPEG file
    GREY = "grey"  # 8-bit raw pixels, one byte each
    RGB = "rgb"  # 8-bit raw pixels, three bytes each


@dataclass(frozen=True)
class Picture:
    format: PictureFormat
    data: bytes
    width: int = 0
    height: int = 0


def _filters(stream: object) -> list[str]:
    value = stream.get("/Filter")  # type: ignore[attr-defined]
    if value is None:
        return []
    return [str(f) for f in value] if isinstance(value, list) else [str(value)]


def _picture(xobject: object) -> Picture | None:
    filters = _filters(xobject)
    # pypdf undoes every filter but DCT, which it leaves as the JPEG file it is.
    if filters and filters[-1] in ("/DCTDecode", "/DCT"):
        return Picture(PictureFormat.ENCODED, xobject.get_data())  # type: ignore[attr-defined]
    if any(f not in LOSSLESS_FILTERS for f in filters):
        return None
    if int(xobject.get("/BitsPerComponent", 8)) != 8:  # type: ignore[attr-defined]
        return None
    space = str(xobject.get("/ColorSpace", ""))  # type: ignore[attr-defined]
    formats = {"/DeviceGray": PictureFormat.GREY, "/DeviceRGB": PictureFormat.RGB}
    if space not in formats:
        return None
    width, height = int(xobject["/Width"]), int(xobject["/Height"])  # type: ignore[index]
    data = xobject.get_data()  # type: ignore[attr-defined]
    per_pixel = 1 if formats[space] is PictureFormat.GREY else 3
    if len(data) < width * height * per_pixel:
        return None
    return Picture(formats[space], data, width, height)


def pictures(content: bytes, media_type: str) -> list[Picture]:
    """What can be shown of a scanned form, page by page; [] when nothing can be."""
    if media_type in ("image/png", "image/jpeg"):
        return [Picture(PictureFormat.ENCODED, content)]
    found: list[Picture] = []
    try:
        reader = PdfReader(io.BytesIO(content))
        for page in reader.pages[:MAX_PAGES]:
            resources = page.get("/Resources") or {}
            xobjects = resources.get("/XObject") or {}
            for name in xobjects:
                xobject = xobjects[name].get_object()
                if xobject.get("/Subtype") == "/Image":
                    picture = _picture(xobject)
                    if picture is not None:
                        found.append(picture)
    except (PyPdfError, KeyError, ValueError, TypeError) as exc:
        # A damaged or unusual file is saved as a copy instead; the log names only the problem.
        log.warning("a scanned form could not be read for showing (%s)", type(exc).__name__)
        return []
    return found
