"""What goes on a letter's page, already filled in: the PDF draws it and the preview shows it.

Apart from the PDF module so the letters services and the composer can hold a letter's
content without loading reportlab, which loads only when a PDF is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LetterContent:
    """Everything that goes on the page, already filled in; the preview shows the same."""

    service_name: str
    service_lines: tuple[str, ...]  # address, phone, email
    address_lines: tuple[str, ...]  # the recipient, ending with the postcode
    date_text: str
    reference: str
    subject: str
    body: str
    signer: str
    signer_role: str
    closing: str = "Yours sincerely,"
    copy_to: tuple[str, ...] = ()
    logo: bytes | None = field(default=None, repr=False)
