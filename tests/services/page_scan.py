"""Read a Confide database file page by page, decrypted, to prove deleted text is really gone.

A logical read (SELECT, or an export) only shows live rows; text of a deleted row can linger
in free pages, in unused space inside a page, or in the write-ahead log. This decrypts every
page of the file (and of the -wal file, frame by frame) with the data key, as SQLCipher 4
stores them by default: AES-256-CBC over each page, with its IV in the page's reserved tail
(16 bytes of IV then a 64-byte HMAC), and the file's 16-byte salt in front of page 1.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80  # IV (16) + HMAC-SHA512 (64)
SALT = 16
WAL_HEADER = 32
WAL_FRAME_HEADER = 24


def _decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    start = SALT if first else 0
    iv = page[PAGE_SIZE - RESERVE:PAGE_SIZE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:PAGE_SIZE - RESERVE]) + decryptor.finalize()


def decrypted_pages(database: Path, key: bytes) -> list[bytes]:
    """Every page of the database file and of its write-ahead log, decrypted."""
    pages = []
    data = database.read_bytes()
    for number in range(len(data) // PAGE_SIZE):
        page = data[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        pages.append(_decrypt_page(key, page, number == 0))
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        log = wal.read_bytes()
        offset = WAL_HEADER
        while offset + WAL_FRAME_HEADER + PAGE_SIZE <= len(log):
            number = int.from_bytes(log[offset:offset + 4], "big")
            frame = log[offset + WAL_FRAME_HEADER:offset + WAL_FRAME_HEADER + PAGE_SIZE]
            pages.append(_decrypt_page(key, frame, number == 1))
            offset += WAL_FRAME_HEADER + PAGE_SIZE
    return pages


def found_in_pages(database: Path, key: bytes, needles: list[str]) -> set[str]:
    """Which of `needles` (UTF-8) appear anywhere in the decrypted file and log, in any case:
    the search index keeps names as lower-case words, so "Smith" must not survive as "smith"."""
    pages = [page.lower() for page in decrypted_pages(database, key)]
    return {needle for needle in needles if any(needle.lower().encode() in page for page in pages)}
