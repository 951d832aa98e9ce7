"""Emitting from Python must not use up references to `True` (a PySide6 6.12.0 regression)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from smarketing_desktop.ui.signals import emit


class _Emitter(QObject):
    changed = Signal(object)


def test_emitting_keeps_the_reference_count_of_true() -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.changed.connect(received.append)
    emit(emitter.changed, -1)  # first emits may cache things; measure after
    before = sys.getrefcount(True)
    for n in range(200):
        emit(emitter.changed, n)
    assert sys.getrefcount(True) >= before  # with the bug, 200 fewer
    assert received == list(range(-1, 200))
