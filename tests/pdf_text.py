"""Reading a PDF Confide made back as text, page by page, to check what it says."""

from __future__ import annotations

import io

from pypdf import PdfReader

CONFIDENTIAL = "STRICTLY PRIVATE AND CONFIDENTIAL"


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())
