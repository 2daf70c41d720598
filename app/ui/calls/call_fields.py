"""The statistical fields every call has; an anonymous call is exactly these, with no identity."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.services.calls.calls import CallDetails
from app.services.calls.topics import TopicView
from app.services.cases import postcodes
from app.services.cases.fields import (
    HOW_HEARD,
    MAX_CALL_MINUTES,
    YEAR_GROUPS,
    CallerType,
    Channel,
    ChildPhase,
    Direction,
    Outcome,
)
from app.services.clock import now
from app.services.people import InvalidInput
from app.ui.calls.widgets import capitalised, choice_box, choose, chosen, row
from app.ui.widgets.forms import FieldErrors
from app.ui.widgets.times import to_local, to_utc

SUMMARY_HINT = "Do not type names or other identifying details in an anonymous summary."
_DATE_FORMAT = "dd/MM/yyyy"


def _enum_options(kind: type) -> list[tuple[str, str]]:
    return [(capitalised(member.value), member.value) for member in kind]


class CallFields(QWidget):
    """Date, duration, channel, topics… and the summary. `changed` fires on any edit."""

    changed = Signal()

    def __init__(self, topics: list[TopicView], errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.at = QDateTimeEdit(self)
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat(f"{_DATE_FORMAT} HH:mm")
        self.at.setAccessibleName("Date and time of the call")
        self.duration = QSpinBox(self)
        self.duration.setRange(0, MAX_CALL_MINUTES)
        self.duration.setSuffix(" minutes")
        self.duration.setAccessibleName("Duration in minutes")
        when = QWidget(self)
        when_row = QHBoxLayout(when)
        when_row.setContentsMargins(0, 0, 0, 0)
        when_row.addWidget(self.at, 2)
        when_row.addWidget(QLabel("&Duration:", when), 0)
        when_row.addWidget(self.duration, 1)
        when_row.itemAt(1).widget().setBuddy(self.duration)  # type: ignore[union-attr]
        self.direction = choice_box("Direction", [("Incoming", Direction.IN.value),
                                                  ("Outgoing", Direction.OUT.value)], self)
        self.channel = choice_box("Channel", _enum_options(Channel), self)
        self.caller_type = choice_box("Caller type", _enum_options(CallerType), self)
        self.topics = QListWidget(self)
        self.topics.setAccessibleName("Topics")
        self.topics.setAccessibleDescription("Tick every topic the call was about")
        for topic in topics:
            item = QListWidgetItem(topic.name, self.topics)
            item.setData(Qt.ItemDataRole.UserRole, topic.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        lines = min(max(len(topics), 3), 6)
        self.topics.setFixedHeight(self.topics.sizeHintForRow(0) * lines + 2 * self.topics.frameWidth() + 4)
        self.phase = choice_box("Child's phase", _enum_options(ChildPhase), self, "Not known")
        self.year_group = choice_box("Child's year group", [(y, y) for y in YEAR_GROUPS], self, "Not known")
        self.area = QLineEdit(self)
        self.area.setAccessibleName("Area (postcode district)")
        self.area.setPlaceholderText("First half of the postcode only, such as MK6")
        self.how_heard = choice_box("How they heard of the service",
                                    [(capitalised(h), h) for h in HOW_HEARD], self, "Not asked")
        self.outcome = choice_box("Outcome", _enum_options(Outcome), self, "Not recorded")
        self.follow_up = QCheckBox("&Follow-up on", self)
        self.follow_up.setAccessibleName("Follow-up needed")
        self.follow_up_date = QDateEdit(self)
        self.follow_up_date.setCalendarPopup(True)
        self.follow_up_date.setDisplayFormat(_DATE_FORMAT)
        self.follow_up_date.setAccessibleName("Follow-up date")
        self.follow_up_date.setEnabled(False)
        follow = QWidget(self)
        follow_row = QHBoxLayout(follow)
        follow_row.setContentsMargins(0, 0, 0, 0)
        follow_row.addWidget(self.follow_up)
        follow_row.addWidget(self.follow_up_date, 1)
        self.safeguarding = QCheckBox("Safe&guarding concern (tell your line manager today)", self)
        self.safeguarding.setAccessibleName("Safeguarding concern")
        self.summary = QPlainTextEdit(self)
        self.summary.setAccessibleName("Short summary")
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.hint = QLabel(SUMMARY_HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(SUMMARY_HINT)
        self.summary.setAccessibleDescription(SUMMARY_HINT)

        row(form, "Date and &time:", when, errors, "at", self)
        errors.add("duration_minutes", errors.fields["at"], self.duration)
        row(form, "Di&rection:", self.direction, errors, "direction", self)
        row(form, "C&hannel:", self.channel, errors, "channel", self)
        row(form, "Ca&ller:", self.caller_type, errors, "caller_type", self)
        row(form, "To&pics:", self.topics, errors, "topic_ids", self)
        row(form, "Child's phase:", self.phase, errors, "child_phase", self)
        row(form, "Year gro&up:", self.year_group, errors, "child_year_group", self)
        row(form, "&Area:", self.area, errors, "area_district", self)
        row(form, "How they heard:", self.how_heard, errors, "how_heard", self)
        row(form, "&Outcome:", self.outcome, errors, "outcome", self)
        row(form, "", follow, errors, "follow_up_date", self)
        row(form, "", self.safeguarding, errors, "safeguarding_concern", self)
        form.addRow("", self.hint)
        row(form, "Su&mmary:", self.summary, errors, "summary", self)
        # Offered only once the summary was found to look identifying (see CallForm.save).
        self.save_anyway = QPushButton("Sa&ve anyway", self)
        self.save_anyway.setAccessibleName("Save anyway, with the summary as it is")
        self.save_anyway.setToolTip("Keep the summary as it is and save the call")
        anyway = QHBoxLayout()
        anyway.addWidget(self.save_anyway)
        anyway.addStretch(1)
        form.addRow("", anyway)
        self.errors = errors
        self.follow_up.toggled.connect(self.follow_up_date.setEnabled)
        self.area.editingFinished.connect(self._check_area)
        # An edited summary is checked again on the next save, so the offer lapses.
        self.summary.textChanged.connect(lambda: self.offer_save_anyway(False))
        for signal in (self.duration.valueChanged, self.area.textChanged, self.summary.textChanged,
                       self.topics.itemChanged, self.safeguarding.toggled, self.follow_up.toggled):
            signal.connect(self.changed)
        self.reset()

    def reset(self) -> None:
        blocked = self.blockSignals(True)
        moment = to_local(now()).replace(second=0, microsecond=0)
        self.at.setDateTime(QDateTime(moment))
        self.duration.setValue(0)
        for box in (self.direction, self.channel, self.caller_type, self.phase, self.year_group,
                    self.how_heard, self.outcome):
            box.setCurrentIndex(0)
        for index in range(self.topics.count()):
            self.topics.item(index).setCheckState(Qt.CheckState.Unchecked)
        self.area.clear()
        self.follow_up.setChecked(False)
        self.follow_up_date.setDate(QDate(moment.date()).addDays(7))
        self.safeguarding.setChecked(False)
        self.summary.clear()
        self.offer_save_anyway(False)
        self.blockSignals(blocked)

    def offer_save_anyway(self, offer: bool) -> None:
        self.save_anyway.setVisible(offer)

    def _check_area(self) -> None:
        typed = self.area.text().strip()
        error = self.errors.fields["area_district"]
        try:
            if typed:
                self.area.setText(postcodes.normalise_district(typed))
            error.clear()
        except InvalidInput as exc:
            error.show_message(str(exc))

    def topic_ids(self) -> tuple[int, ...]:
        return tuple(int(self.topics.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.topics.count())
                     if self.topics.item(i).checkState() == Qt.CheckState.Checked)

    def details(self) -> CallDetails:
        local: datetime = self.at.dateTime().toPython()
        follow: date | None = self.follow_up_date.date().toPython() if self.follow_up.isChecked() else None
        return CallDetails(
            at=to_utc(local.replace(second=0, microsecond=0)), duration_minutes=self.duration.value(),
            direction=Direction(chosen(self.direction)), channel=Channel(chosen(self.channel)),
            caller_type=CallerType(chosen(self.caller_type)), topic_ids=self.topic_ids(),
            child_phase=ChildPhase(chosen(self.phase)) if chosen(self.phase) else None,
            child_year_group=chosen(self.year_group) or None, area_district=self.area.text() or None,
            how_heard=chosen(self.how_heard) or None,
            outcome=Outcome(chosen(self.outcome)) if chosen(self.outcome) else None,
            follow_up_date=follow, safeguarding_concern=self.safeguarding.isChecked(),
            summary=self.summary.toPlainText(),
        )

    def has_typing(self) -> bool:
        return bool(self.summary.toPlainText().strip() or self.area.text().strip() or self.topic_ids()
                    or self.duration.value() or self.safeguarding.isChecked())

    def values(self) -> dict[str, Any]:
        return {
            "at": self.at.dateTime().toPython().isoformat(), "duration": self.duration.value(),
            "direction": chosen(self.direction), "channel": chosen(self.channel),
            "caller_type": chosen(self.caller_type), "topics": list(self.topic_ids()),
            "phase": chosen(self.phase), "year_group": chosen(self.year_group),
            "area": self.area.text(), "how_heard": chosen(self.how_heard),
            "outcome": chosen(self.outcome), "follow_up": self.follow_up.isChecked(),
            "follow_up_date": self.follow_up_date.date().toPython().isoformat(),
            "safeguarding": self.safeguarding.isChecked(), "summary": self.summary.toPlainText(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        try:
            self.at.setDateTime(QDateTime(datetime.fromisoformat(str(values.get("at")))))
            self.follow_up_date.setDate(QDate(date.fromisoformat(str(values.get("follow_up_date")))))
        except ValueError:
            pass  # a damaged date keeps the default rather than losing the rest of the draft
        self.duration.setValue(int(values.get("duration", 0) or 0))
        for box, key in ((self.direction, "direction"), (self.channel, "channel"),
                         (self.caller_type, "caller_type"), (self.phase, "phase"),
                         (self.year_group, "year_group"), (self.how_heard, "how_heard"),
                         (self.outcome, "outcome")):
            choose(box, values.get(key, ""))
        wanted = set(values.get("topics", []))
        for index in range(self.topics.count()):
            item = self.topics.item(index)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.area.setText(str(values.get("area", "")))
        self.follow_up.setChecked(bool(values.get("follow_up")))
        self.safeguarding.setChecked(bool(values.get("safeguarding")))
        self.summary.setPlainText(str(values.get("summary", "")))
