"""How an opportunity reads in the Plan area's list: two lines in a narrow column.

The plan pane needs most of the width, and five table columns squeezed into the rest elide
every one of them. Two lines keep it all legible: the deal and its amount, then the buyer and
the quarter's runway (muted). Colors come from the palette, so both themes work, and the
model's accessible text carries the whole row for screen readers.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from smarketing_desktop.db.repositories.opportunities import Opportunity
from smarketing_desktop.ui.plan_model import (
    OPPORTUNITY_ROLE,
    format_amount,
    prospect_text,
    quarter_text,
)
from smarketing_desktop.ui.theme import error_color

PADDING = 6
LINE_GAP = 2


class OpportunityDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(200, 2 * metrics.height() + LINE_GAP + 2 * PADDING)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opportunity = index.data(OPPORTUNITY_ROLE)
        if not isinstance(opportunity, Opportunity):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        option.text = ""
        if style is not None:
            # Background, selection and focus as the style draws them for any item.
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted_role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect: QRect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        base_font: QFont = option.font
        bold = QFont(base_font)
        bold.setBold(True)
        metrics = QFontMetrics(base_font)
        bold_metrics = QFontMetrics(bold)
        line = metrics.height()

        painter.save()
        try:
            amount = format_amount(opportunity.amount)
            amount_width = metrics.horizontalAdvance(amount) + (8 if amount else 0)
            top = QRect(rect.left(), rect.top(), rect.width(), line)
            painter.setFont(bold)
            painter.setPen(palette.color(text_role))
            name = bold_metrics.elidedText(
                opportunity.name, Qt.TextElideMode.ElideRight, max(rect.width() - amount_width, 0)
            )
            painter.drawText(
                top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name
            )
            painter.setFont(base_font)
            if amount:
                painter.drawText(
                    top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), amount
                )

            bottom = QRect(rect.left(), rect.top() + line + LINE_GAP, rect.width(), line)
            quarter = quarter_text(opportunity)
            quarter_width = metrics.horizontalAdvance(quarter)
            overdue = opportunity.status == "open" and opportunity.days_left < 0
            painter.setPen(
                error_color(palette) if overdue and not selected else palette.color(muted_role)
            )
            painter.drawText(
                bottom, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), quarter
            )
            painter.setPen(palette.color(muted_role))
            who = metrics.elidedText(
                prospect_text(opportunity),
                Qt.TextElideMode.ElideRight,
                max(rect.width() - quarter_width - 12, 0),
            )
            painter.drawText(
                bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), who
            )
        finally:
            painter.restore()
