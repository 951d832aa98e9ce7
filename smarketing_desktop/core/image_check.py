"""The pixel size of a profile photo or banner, read from the file's header.

The checklist only needs width and height, so this reads the few header bytes that hold them
(PNG, JPEG, GIF, WebP: what LinkedIn and X accept) instead of depending on an imaging library.
Nothing is decoded, so a file that merely claims a size is taken at its word; that is enough for
"is the photo big enough and square", and a broken file is reported rather than crashing a review.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Profile images are a few megabytes at most (LinkedIn caps photos at 8 MB); anything far larger
# is not what the rep meant to point at, and is not read into memory.
MAX_IMAGE_BYTES = 50 * 1024 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC are not frames.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn have no length


class ImageFormatError(ValueError):
    """The bytes are not a PNG, JPEG, GIF or WebP image whose size can be read."""


@dataclass(frozen=True)
class ImageFacts:
    """What a review knows about one image: where it came from, its size, or what went wrong.

    `problem` is set (and width/height are None) when the file is missing or unreadable, so a
    rule can fail the item with the path in its detail instead of the review crashing.
    """

    name: str
    path: str | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    problem: str | None = None

    def snapshot(self) -> dict[str, Any]:
        """What a stored review keeps: names and numbers, never the image itself."""
        data: dict[str, Any] = {"file": self.name}
        if self.size_bytes is not None:
            data["bytes"] = self.size_bytes
        if self.width is not None and self.height is not None:
            data["width"], data["height"] = self.width, self.height
        if self.problem:
            data["problem"] = self.problem
        return data


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, JPEG, GIF or WebP image, from its header."""
    if data.startswith(_PNG_SIGNATURE):
        return _png_size(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return _checked(width, height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    raise ImageFormatError("not a PNG, JPEG, GIF or WebP image")


def _checked(width: int, height: int) -> tuple[int, int]:
    if width <= 0 or height <= 0:
        raise ImageFormatError(f"the image header gives an empty size ({width}x{height})")
    return width, height


def _png_size(data: bytes) -> tuple[int, int]:
    # The first chunk must be IHDR: length (13), type, then width and height as big-endian u32.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageFormatError("a PNG without its header chunk (IHDR)")
    width, height = struct.unpack(">II", data[16:24])
    return _checked(width, height)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ImageFormatError("a JPEG with a broken segment structure")
        marker = data[position + 1]
        if marker == 0xFF:  # fill bytes may pad before a marker
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if marker == 0xD9:  # end of image before any frame
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2:
            raise ImageFormatError("a JPEG with a broken segment length")
        if marker in _JPEG_SOF:
            if position + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return _checked(width, height)
        position += 2 + length
    raise ImageFormatError("a JPEG without a frame header (its size is not in the file)")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return _checked(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return _checked((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _checked(width, height)
    raise ImageFormatError("a WebP image of a kind whose size cannot be read")


def inspect_image(path: Path) -> ImageFacts:
    """Facts about the image at `path`; a missing or unreadable file is a problem, not an error."""
    name = path.name
    shown = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return ImageFacts(name, shown, problem=f"file not found: {shown}")
    except OSError as exc:
        return ImageFacts(name, shown, problem=f"cannot read {shown} ({exc.strerror})")
    if path.is_dir():
        return ImageFacts(name, shown, problem=f"{shown} is a folder, not an image file")
    if size > MAX_IMAGE_BYTES:
        return ImageFacts(
            name, shown, size, problem=f"{shown} is {size // (1024 * 1024)} MB: not a profile image"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImageFacts(name, shown, size, problem=f"cannot read {shown} ({exc.strerror})")
    try:
        width, height = image_size(data)
    except ImageFormatError as exc:
        return ImageFacts(name, shown, size, problem=f"{shown} is {exc}")
    return ImageFacts(name, shown, size, width, height)
