"""A small line chart of a profile's review scores over time, with the trend.

Custom-painted rather than pulled in from QtCharts: one line, a handful of points and a dashed
trend need no extra module in the frozen app. Every color comes from the palette (or a pair
picked per theme), so the chart reads as well in dark mode as in light. Reviews are spaced
evenly rather than by date: two reviews on one day would otherwise sit on top of each other,
and the dates under the points still say when each was. What the chart shows is also given
in words, as its tooltip and accessible description.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from smarketing_desktop.core.checklists import HistoryEntry
from smarketing_desktop.ui.theme import is_dark

MAX_POINTS = 12
NO_REVIEWS = "Your scores will show here after your first check."
_LINE_ON_LIGHT = QColor("#1f5fbf")
_LINE_ON_DARK = QColor("#7cb7ff")
_LEFT, _TOP, _RIGHT, _BOTTOM = 34.0, 20.0, 16.0, 22.0
_INSET = 16.0
_DOT, _LATEST_DOT = 3.5, 5.0


@dataclass(frozen=True)
class ScorePoint:
    day: date
    score: int
    review_id: int


def trend_slope(scores: Sequence[int]) -> float | None:
    """Points per review along the least-squares line; None with fewer than two reviews."""
    count = len(scores)
    if count < 2:
        return None
    mean_x = (count - 1) / 2
    mean_y = sum(scores) / count
    spread = sum((x - mean_x) ** 2 for x in range(count))
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(scores)) / spread


def trend_text(scores: Sequence[int]) -> str:
    """ "Trend: rising (+18 over 3 reviews)" in words, for the tooltip and screen readers."""
    slope = trend_slope(scores)
    if slope is None:
        return "Trend: one review so far." if scores else "No reviews yet."
    change = scores[-1] - scores[0]
    word = "rising" if slope > 0.5 else "falling" if slope < -0.5 else "steady"
    return f"Trend: {word} ({change:+d} points over {len(scores)} reviews)."


class ScoreHistoryChart(QWidget):
    """Scores of the last `MAX_POINTS` reviews, oldest left; the latest point is drawn larger."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[ScorePoint] = []
        self.setAccessibleName("Score history")
        self.setMinimumSize(220, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._describe()

    # -- data ----------------------------------------------------------------------------

    def set_history(self, entries: Sequence[HistoryEntry]) -> None:
        """`entries` newest first, as `ChecklistRepository.history` returns them."""
        newest = list(entries)[:MAX_POINTS]
        self._points = [
            ScorePoint(e.review.reviewed_at.astimezone().date(), e.review.score, e.review.id)
            for e in reversed(newest)
        ]
        self._describe()
        self.update()

    def points(self) -> list[ScorePoint]:
        return list(self._points)

    def summary(self) -> str:
        if not self._points:
            return NO_REVIEWS
        listed = ", ".join(f"{p.day.isoformat()}: {p.score}" for p in self._points)
        return f"Scores, oldest first: {listed}. {trend_text([p.score for p in self._points])}"

    def sizeHint(self) -> QSize:
        return QSize(360, 150)

    # -- painting ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            text = palette.color(QPalette.ColorRole.WindowText)
            small = QFont(self.font())
            small.setPointSizeF(max(small.pointSizeF() * 0.85, 7.0))
            painter.setFont(small)
            plot = QRectF(self.rect()).adjusted(_LEFT, _TOP, -_RIGHT, -_BOTTOM)
            if plot.width() < 40 or plot.height() < 30:
                return
            if not self._points:
                painter.setPen(text)
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(QRectF(self.rect()).adjusted(8, 8, -8, -8), int(flags), NO_REVIEWS)
                return
            self._paint_grid(painter, plot, text)
            positions = self._positions(plot)
            self._paint_trend(painter, plot, positions, text)
            self._paint_line(painter, positions, palette)
            self._paint_labels(painter, plot, positions, text)
        finally:
            painter.end()

    def _positions(self, plot: QRectF) -> list[QPointF]:
        """Evenly spaced, inset from the axis so the first score clears the axis labels."""
        count = len(self._points)
        inner = plot.adjusted(_INSET, 0, -_INSET, 0)
        step = inner.width() / (count - 1) if count > 1 else 0.0
        return [
            QPointF(
                inner.left() + (step * n if count > 1 else inner.width() / 2),
                plot.bottom() - plot.height() * p.score / 100,
            )
            for n, p in enumerate(self._points)
        ]

    @staticmethod
    def _paint_grid(painter: QPainter, plot: QRectF, text: QColor) -> None:
        faint = QColor(text)
        faint.setAlpha(60)
        metrics = painter.fontMetrics()
        for value in (0, 50, 100):
            y = plot.bottom() - plot.height() * value / 100
            painter.setPen(QPen(faint, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label = str(value)
            painter.drawText(
                QPointF(
                    plot.left() - 6 - metrics.horizontalAdvance(label), y + metrics.ascent() / 3
                ),
                label,
            )

    def _paint_trend(
        self, painter: QPainter, plot: QRectF, positions: list[QPointF], text: QColor
    ) -> None:
        scores = [p.score for p in self._points]
        slope = trend_slope(scores)
        if slope is None:
            return
        mean_x, mean_y = (len(scores) - 1) / 2, sum(scores) / len(scores)

        def at(n: int) -> QPointF:
            value = min(max(mean_y + slope * (n - mean_x), 0.0), 100.0)
            return QPointF(positions[n].x(), plot.bottom() - plot.height() * value / 100)

        color = QColor(text)
        color.setAlpha(150)
        pen = QPen(color, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(at(0), at(len(scores) - 1))

    @staticmethod
    def _paint_line(painter: QPainter, positions: list[QPointF], palette: QPalette) -> None:
        color = QColor(_LINE_ON_DARK if is_dark(palette) else _LINE_ON_LIGHT)
        painter.setPen(QPen(color, 2.5))
        for first, second in itertools.pairwise(positions):
            painter.drawLine(first, second)
        painter.setBrush(color)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Window), 1.5))
        for n, point in enumerate(positions):
            radius = _LATEST_DOT if n == len(positions) - 1 else _DOT
            painter.drawEllipse(point, radius, radius)

    def _paint_labels(
        self, painter: QPainter, plot: QRectF, positions: list[QPointF], text: QColor
    ) -> None:
        """Each score above its point; dates below, the latest always, others where they fit."""
        metrics = painter.fontMetrics()
        painter.setPen(text)
        same_year = len({p.day.year for p in self._points}) == 1
        spans: list[tuple[float, str]] = []
        for point, position in zip(self._points, positions, strict=True):
            score = str(point.score)
            width = metrics.horizontalAdvance(score)
            painter.drawText(QPointF(position.x() - width / 2, position.y() - 8), score)
            label = point.day.strftime("%b %d") if same_year else point.day.isoformat()
            label_width = metrics.horizontalAdvance(label)
            left = min(max(position.x() - label_width / 2, 0.0), self.width() - label_width)
            spans.append((left, label))
        gap = 8.0
        last_left = spans[-1][0]
        right_edge = float("-inf")
        baseline = plot.bottom() + metrics.ascent() + 6
        for left, label in spans[:-1]:
            width = metrics.horizontalAdvance(label)
            if left > right_edge + gap and left + width + gap < last_left:
                painter.drawText(QPointF(left, baseline), label)
                right_edge = left + width
        painter.drawText(QPointF(last_left, baseline), spans[-1][1])

    def _describe(self) -> None:
        summary = self.summary()
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)
