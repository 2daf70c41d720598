"""Render resources/icons/confide.svg into the raster icons the installers need.

    .venv/bin/python -m tools.icons

writes confide-256.png (the Linux desktop entry, beside the SVG) and confide.ico (the Windows
program, installer and Start menu icon: PNG images at 16, 24, 32, 48, 64 and 256 pixels,
which Windows Vista and later read directly). Run it again after changing the SVG and commit
the results; the build does not need Qt to draw anything.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 256)


def render_png(renderer: QSvgRenderer, side: int) -> bytes:
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file holding PNG images: ICONDIR, one ICONDIRENTRY per image, then the images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for side, png in sorted(images.items()):
        # A width or height of 256 is written as 0; 32 bits per pixel, one plane.
        entries += struct.pack("<BBBBHHII", side % 256, side % 256, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "confide.svg"))
    if not renderer.isValid():
        print("confide.svg could not be read", file=sys.stderr)
        return 1
    (ICONS / "confide-256.png").write_bytes(render_png(renderer, 256))
    (ICONS / "confide.ico").write_bytes(ico_bytes({side: render_png(renderer, side) for side in ICO_SIZES}))
    print(f"wrote {ICONS / 'confide-256.png'} and {ICONS / 'confide.ico'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
