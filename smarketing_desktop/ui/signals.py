"""Emitting Qt signals from Python without slowly destroying `True`.

PySide6 6.12.0's `SignalInstance.emit` returns `True` without taking a reference to it. On
Python 3.11, where `True` is an ordinary reference-counted object, every emit from Python code
brings its count closer to zero; a long session (or a test run) then dies with "Fatal Python
error: bool_dealloc: deallocating True or False". All emits in the app go through `emit`, which
finds out once whether the running PySide has the bug and, if so, hands the reference back.
On Python 3.12+ (`True` is immortal) or a fixed PySide this is a plain `signal.emit`.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 8


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    return sys.getrefcount(True) - before == -_PROBES


# Measured once, at import (on the importing thread, before any task runner exists).
_DROPS_REFERENCE = sys.version_info < (3, 12) and _emit_drops_a_reference()


def emit(signal: SignalInstance, *args: object) -> None:
    """`signal.emit(*args)`, safe from any thread."""
    signal.emit(*args)
    if _DROPS_REFERENCE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
