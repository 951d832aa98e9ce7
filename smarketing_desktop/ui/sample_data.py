"""The sample workspace as the window sees it: two calls bound to one database.

Looks the functions up on the `demo` module at call time, so tests can swap them.
"""

from __future__ import annotations

from smarketing_desktop import demo
from smarketing_desktop.db.store import Database


class SampleData:
    def __init__(self, db: Database) -> None:
        self._db = db

    def workspace_is_empty(self) -> bool:
        return demo.workspace_is_empty(self._db)

    def load(self) -> demo.DemoReport:
        return demo.load_demo(self._db)
