"""The tag filter keeps the rep's chosen tag while the tags under it are refreshed."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from smarketing_desktop.ui.tag_filter import ALL_TAGS, TagFilter


def offered(combo: TagFilter) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_a_reload_keeps_the_chosen_tag_without_searching_again(qtbot: QtBot) -> None:
    combo = TagFilter("Show only things with this tag")
    qtbot.addWidget(combo)
    assert combo.accessibleName() == "Filter by tag"
    assert combo.tag is None
    combo.set_tags(["cfo", "fintech"])
    combo.setCurrentIndex(combo.findData("fintech"))
    changes: list[int] = []
    combo.currentIndexChanged.connect(changes.append)

    gone = combo.set_tags(["aws", "cfo", "fintech"])

    assert not gone
    assert combo.tag == "fintech"
    assert offered(combo) == [ALL_TAGS, "aws", "cfo", "fintech"]
    assert changes == []  # refilling the list is not a new choice


def test_a_chosen_tag_that_disappeared_falls_back_to_all_tags(qtbot: QtBot) -> None:
    combo = TagFilter("Show only things with this tag")
    qtbot.addWidget(combo)
    combo.set_tags(["cfo", "fintech"])
    combo.setCurrentIndex(combo.findData("fintech"))

    assert combo.set_tags(["cfo"])  # the caller must search again
    assert combo.tag is None
    assert combo.currentText() == ALL_TAGS
