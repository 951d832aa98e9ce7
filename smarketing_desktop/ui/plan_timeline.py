"""A strip from the plan's first step to the quarter end: where today is, and every step on it.

The point is to see at a glance how much of the runway is left and whether steps bunch up, so
it is a painted strip rather than a chart: one track, month ticks, a line for today and for the
quarter end, and a marker per step. Every color comes from the palette (and the theme's error
color for overdue steps), so it reads the same in light and dark themes; markers also differ in
shape, so status never rests on color alone. Steps on the same day stack upwards.

A planned step's marker can be dragged along the track to another day, earlier or later, and
a step dragged from the step list can be dropped on the track: both end in `move_requested`,
which the Plan area turns into `PlanRepository.move`. The drag along the track is handled with
plain mouse events (a ghost marker and the day under it follow the pointer), because a QDrag
would hand the pointer to the platform's drag loop for a move that never leaves the widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from smarketing_desktop import clock
from smarketing_desktop.core.planning import PENDING
from smarketing_desktop.core.wording import channel_name
from smarketing_desktop.db.repositories.plans import PlanStepInfo
from smarketing_desktop.ui.plan_model import (
    long_date,
    plan_counts,
    step_from_mime,
    step_status,
)
from smarketing_desktop.ui.signals import emit
from smarketing_desktop.ui.theme import error_color

MARGIN = 14
RADIUS = 5.0
LANE = 2 * RADIUS + 3
MAX_LANES = 3
HIT_DISTANCE = 9.0


@dataclass(frozen=True)
class Marker:
    step: PlanStepInfo
    center: QPointF


def _mix(a: QColor, b: QColor, weight: float) -> QColor:
    """`weight` of a, the rest of b: a muted color that still follows the palette."""
    return QColor(
        round(a.red() * weight + b.red() * (1 - weight)),
        round(a.green() * weight + b.green() * (1 - weight)),
        round(a.blue() * weight + b.blue() * (1 - weight)),
    )


@dataclass
class _Drag:
    """A marker being dragged along the track (or a step dragged in from the list)."""

    step_id: int
    due: date
    origin: QPoint
    day: date | None = None  # where it would land; None until the pointer really moved


class PlanTimeline(QWidget):
    """`step_clicked(step_id)` when the rep clicks a marker; the step list follows.
    `move_requested(step_id, day)` when a planned step is dragged to another day."""

    step_clicked = Signal(int)
    move_requested = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._steps: tuple[PlanStepInfo, ...] = ()
        self._today = clock.today()
        self._quarter_end: date | None = None
        self._quarter_label = ""
        self._selected: int | None = None
        self._drag: _Drag | None = None
        self.setAccessibleName("Plan timeline")
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the step list is the keyboard's way in
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)

    # -- public API --------------------------------------------------------------------------

    def set_plan(
        self,
        steps: Sequence[PlanStepInfo],
        *,
        today: date,
        quarter_end: date | None,
        quarter_label: str = "",
        selected: int | None = None,
    ) -> None:
        self._steps = tuple(steps)
        self._today = today
        self._quarter_end = quarter_end
        self._quarter_label = quarter_label
        self._selected = selected
        self.setAccessibleDescription(self.describe())
        self.update()

    def clear(self) -> None:
        self.set_plan((), today=self._today, quarter_end=None)

    def set_selected(self, step_id: int | None) -> None:
        if step_id != self._selected:
            self._selected = step_id
            self.update()

    def describe(self) -> str:
        """What a screen reader hears instead of the picture."""
        if self._quarter_end is None:
            return "No plan."
        end = f"The quarter {self._quarter_label} ends on {long_date(self._quarter_end)}"
        days = (self._quarter_end - self._today).days
        left = f"{days} days from today" if days >= 0 else "and is over"
        if not self._steps:
            return f"{end}, {left}. No steps planned."
        first, last = self._steps[0].due, self._steps[-1].due
        return (
            f"{plan_counts(self._steps)}, from {long_date(first)} to {long_date(last)}. "
            f"{end}, {left}."
        )

    def markers(self) -> list[Marker]:
        """Where each step is drawn at the current size (for clicks, tooltips and tests);
        steps due the same day stack upwards."""
        if self._quarter_end is None:
            return []
        start, end = self._span()
        track_y = float(self._track_y())
        lanes: dict[date, int] = {}
        found = []
        for step in self._steps:
            lane = lanes.get(step.due, 0)
            lanes[step.due] = lane + 1
            center = QPointF(
                self._x(step.due, start, end), track_y - LANE * min(lane, MAX_LANES - 1)
            )
            found.append(Marker(step, center))
        return found

    def day_at(self, x: float) -> date | None:
        """The day under `x` on the track, kept between today and the quarter end (the days a
        step can move to); None without a plan."""
        if self._quarter_end is None:
            return None
        start, end = self._span()
        width = max(self.width() - 2 * MARGIN, 1)
        offset = round((x - MARGIN) / width * max((end - start).days, 1))
        day = start + timedelta(days=offset)
        return min(max(day, self._today), max(self._quarter_end, self._today))

    def x_of(self, day: date) -> float:
        """Where `day` is on the track at the current size (for tests and the drag ghost)."""
        if self._quarter_end is None:
            return float(MARGIN)
        start, end = self._span()
        return self._x(day, start, end)

    @property
    def drag_day(self) -> date | None:
        """Where the step being dragged would land, while a drag is under way."""
        return self._drag.day if self._drag is not None else None

    def step_at(self, point: QPointF) -> PlanStepInfo | None:
        best: tuple[float, PlanStepInfo] | None = None
        for marker in self.markers():
            delta = marker.center - point
            distance = (delta.x() ** 2 + delta.y() ** 2) ** 0.5
            if distance <= HIT_DISTANCE and (best is None or distance < best[0]):
                best = (distance, marker.step)
        return best[1] if best else None

    # -- Qt ----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(420, int(self._legend_baseline()) + metrics.descent() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        step = self.step_at(event.position())
        if step is not None and event.button() == Qt.MouseButton.LeftButton:
            self.set_selected(step.id)
            emit(self.step_clicked, step.id)
            if step.status == PENDING:
                self._drag = _Drag(step.id, step.due, event.position().toPoint())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self._drag
        if drag is None:
            super().mouseMoveEvent(event)
            return
        point = event.position().toPoint()
        if drag.day is None and (
            (point - drag.origin).manhattanLength() < QApplication.startDragDistance()
        ):
            return  # a click that wobbled, not a drag yet
        drag.day = self.day_at(point.x())
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            super().mouseReleaseEvent(event)
            return
        self.unsetCursor()
        self.update()
        if drag.day is not None and drag.day != drag.due:
            emit(self.move_requested, drag.step_id, drag.day)
        event.accept()

    def _cancel_drag(self) -> None:
        self._drag = None
        self.unsetCursor()
        self.update()

    # A step dragged in from the step list lands on the day under the pointer.

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if step_from_mime(event.mimeData()) is not None and self._quarter_end is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        dragged = step_from_mime(event.mimeData())
        day = self.day_at(event.position().x())
        if dragged is None or day is None:
            event.ignore()
            return
        self._drag = _Drag(dragged[0], dragged[1], event.position().toPoint(), day)
        self.update()
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._cancel_drag()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        dragged = step_from_mime(event.mimeData())
        day = self.day_at(event.position().x())
        self._cancel_drag()
        if dragged is not None and day is not None and day != dragged[1]:
            emit(self.move_requested, dragged[0], day)
        # The list the step came from must not remove it: the reloaded plan is the truth.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            step = self.step_at(QPointF(event.pos()))
            if step is None:
                QToolTip.hideText()
                event.ignore()
                return True
            QToolTip.showText(event.globalPos(), self._tooltip(step), self)
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.updateGeometry()
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self._paint(painter)
        finally:
            painter.end()

    # -- painting ----------------------------------------------------------------------------

    def _line_height(self) -> int:
        return QFontMetrics(self.font()).height()

    def _track_y(self) -> int:
        """Room above the track for the "Today" and quarter-end labels and stacked markers."""
        return self._line_height() + 6 + int(LANE * (MAX_LANES - 1)) + int(RADIUS) + 2

    def _months_baseline(self) -> float:
        return self._track_y() + RADIUS + 4 + QFontMetrics(self.font()).ascent()

    def _legend_baseline(self) -> float:
        return self._months_baseline() + self._line_height() + 4

    def _span(self) -> tuple[date, date]:
        assert self._quarter_end is not None
        dues = [s.due for s in self._steps]
        start = min([self._today, *dues]) if dues else self._today
        end = max([self._quarter_end, *dues])
        if start >= end:
            start = min(start, end) - timedelta(days=7)
        # A week of room before the first day, so its marker does not touch the edge.
        return start - timedelta(days=3), end

    def _x(self, day: date, start: date, end: date) -> float:
        width = self.width() - 2 * MARGIN
        return MARGIN + width * (day - start).days / max((end - start).days, 1)

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = QFontMetrics(self.font())
        if self._quarter_end is None:
            return
        start, end = self._span()
        track_y = float(self._track_y())
        left, right = float(MARGIN), float(self.width() - MARGIN)

        # The track, and month ticks with their names below it.
        painter.setPen(QPen(muted, 2))
        painter.drawLine(QPointF(left, track_y), QPointF(right, track_y))
        painter.setPen(QPen(muted, 1))
        month = date(start.year, start.month, 1)
        last_label_right = -1e9
        while month <= end:
            if month >= start:
                x = self._x(month, start, end)
                painter.drawLine(QPointF(x, track_y - 4), QPointF(x, track_y + 4))
                label = f"{month:%b}" if month.month != 1 else f"{month:%b %Y}"
                width = metrics.horizontalAdvance(label)
                if x - width / 2 > last_label_right + 6 and x + width / 2 < right:
                    painter.drawText(QPointF(x - width / 2, self._months_baseline()), label)
                    last_label_right = x + width / 2
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)

        # Today and the quarter end: full-height lines with their labels on top.
        label_y = float(metrics.ascent() + 1)
        end_x = self._x(self._quarter_end, start, end)
        end_label = f"{self._quarter_label} ends {self._quarter_end.day} {self._quarter_end:%b}"
        end_width = metrics.horizontalAdvance(end_label)
        painter.setPen(QPen(text, 2))
        painter.drawLine(QPointF(end_x, label_y + 3), QPointF(end_x, track_y + RADIUS + 2))
        painter.drawText(QPointF(max(left, end_x - end_width), label_y), end_label)
        if start <= self._today <= end:
            today_x = self._x(self._today, start, end)
            pen = QPen(text, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(today_x, label_y + 3), QPointF(today_x, track_y + RADIUS + 2))
            today_width = metrics.horizontalAdvance("Today")
            today_left = min(max(left, today_x - today_width / 2), right - today_width)
            if today_left + today_width < end_x - end_width - 6 or today_left > end_x + 6:
                painter.drawText(QPointF(today_left, label_y), "Today")

        selected_marker: Marker | None = None
        for marker in self.markers():
            self._paint_marker(painter, marker, palette)
            if marker.step.id == self._selected:
                selected_marker = marker
        if selected_marker is not None:
            painter.setPen(QPen(text, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(selected_marker.center, RADIUS + 3.5, RADIUS + 3.5)
        if self._drag is not None and self._drag.day is not None:
            # Where the dragged step would land: a dashed ring on the track and its day above
            # (painted rather than a tooltip, so it follows the pointer without flicker).
            highlight = palette.color(QPalette.ColorRole.Highlight)
            ghost = QPointF(self._x(self._drag.day, start, end), track_y)
            painter.setPen(QPen(highlight, 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(ghost, RADIUS + 2, RADIUS + 2)
            label = f"{self._drag.day:%a} {self._drag.day.day} {self._drag.day:%b}"
            width = metrics.horizontalAdvance(label)
            label_left = min(max(left, ghost.x() - width / 2), right - width)
            painter.fillRect(
                QRectF(label_left - 2, 0, width + 4, metrics.height()),
                palette.color(QPalette.ColorRole.Window),
            )
            painter.setPen(text)
            painter.drawText(QPointF(label_left, label_y), label)

        self._paint_legend(painter, palette, self._legend_baseline())

    def _colors(self, step: PlanStepInfo, palette: QPalette) -> tuple[QColor, QColor]:
        """(fill, outline) for a step's marker."""
        window = palette.color(QPalette.ColorRole.Window)
        if step.status == "done":
            fill = _mix(palette.color(QPalette.ColorRole.WindowText), window, 0.55)
            return fill, fill
        if step.status == "skipped":
            return window, palette.color(QPalette.ColorRole.PlaceholderText)
        if step.status == PENDING and step.due < self._today:
            color = error_color(palette)
            return color, color
        highlight = palette.color(QPalette.ColorRole.Highlight)
        return highlight, highlight

    def _paint_marker(self, painter: QPainter, marker: Marker, palette: QPalette) -> None:
        fill, outline = self._colors(marker.step, palette)
        self._draw_shape(
            painter, marker.step.status, marker.center, fill=fill, outline=outline, palette=palette
        )

    def _draw_shape(
        self,
        painter: QPainter,
        status: str,
        center: QPointF,
        *,
        fill: QColor,
        outline: QColor,
        palette: QPalette,
    ) -> None:
        painter.setPen(QPen(outline, 1.5))
        painter.setBrush(fill)
        if status == "done":
            # A filled square with a check: done steps read as done without color.
            rect = QRectF(center.x() - RADIUS, center.y() - RADIUS, 2 * RADIUS, 2 * RADIUS)
            painter.drawRoundedRect(rect, 2, 2)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Window), 1.6))
            painter.drawPolyline(
                [
                    QPointF(center.x() - 2.8, center.y() + 0.2),
                    QPointF(center.x() - 0.8, center.y() + 2.4),
                    QPointF(center.x() + 3.0, center.y() - 2.4),
                ]
            )
        elif status == "skipped":
            painter.drawEllipse(center, RADIUS - 0.5, RADIUS - 0.5)
            painter.drawLine(
                QPointF(center.x() - 3, center.y() + 3), QPointF(center.x() + 3, center.y() - 3)
            )
        else:
            painter.drawEllipse(center, RADIUS, RADIUS)

    def _paint_legend(self, painter: QPainter, palette: QPalette, baseline: float) -> None:
        metrics = QFontMetrics(self.font())
        overdue = error_color(palette)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        window = palette.color(QPalette.ColorRole.Window)
        done = _mix(palette.color(QPalette.ColorRole.WindowText), window, 0.55)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        entries = (
            ("planned", PENDING, highlight, highlight),
            ("overdue", PENDING, overdue, overdue),
            ("done", "done", done, done),
            ("skipped", "skipped", window, muted),
        )
        x = float(MARGIN)
        center_y = baseline - metrics.ascent() / 2 + 1
        for label, status, fill, outline in entries:
            self._draw_shape(
                painter,
                status,
                QPointF(x + RADIUS, center_y),
                fill=fill,
                outline=outline,
                palette=palette,
            )
            x += 2 * RADIUS + 4
            painter.setPen(muted)
            painter.drawText(QPointF(x, baseline), label)
            x += metrics.horizontalAdvance(label) + 14

    def _tooltip(self, step: PlanStepInfo) -> str:
        return (
            f"{long_date(step.due)} · {channel_name(step.channel)} · "
            f"{step_status(step, self._today)}\n{step.action}"
        )
