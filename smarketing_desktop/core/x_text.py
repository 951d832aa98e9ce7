"""How long a post is by X's count, so the share dialog can warn before X refuses it.

X counts every link as 23 characters (it wraps them in t.co) whatever its real length, and
counts characters outside Latin and common punctuation (CJK, emoji) as two, per twitter-text's
version 3 configuration. This is a close approximation, not the library: an emoji sequence
joined with zero-width joiners counts here per code point, so the counter errs on the long side,
which is the safe side for a limit.
"""

from __future__ import annotations

import re
import unicodedata

X_LIMIT = 280
X_URL_LENGTH = 23

# twitter-text v3: these code point ranges weigh one; everything else weighs two.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def _weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in _LIGHT_RANGES) else 2


def _urls(text: str) -> list[tuple[int, int]]:
    """Where the links are, without the sentence punctuation that follows them."""
    spans = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def x_length(text: str) -> int:
    """The length X will count for `text` (links as 23, wide characters as 2)."""
    normalized = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for start, end in _urls(normalized):
        total += sum(_weight(c) for c in normalized[position:start]) + X_URL_LENGTH
        position = end
    return total + sum(_weight(c) for c in normalized[position:])


def x_remaining(text: str) -> int:
    """Characters left before X's limit; negative when the text is too long."""
    return X_LIMIT - x_length(text)
