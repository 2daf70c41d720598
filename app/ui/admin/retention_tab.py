"""Admin → Retention (managers): the rules in plain words, a preview of what the next runs
will archive and destroy, and the summary of the last run.

Choosing a preset fills in its numbers; changing a number shows which preset (if any) the
numbers now match. The preview uses the rules as they are on screen, so a manager sees what a
change would do before saving it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import settings
from app.services.context import SignedIn
from app.services.retention import retention
from app.services.retention.retention import PreviewItem, RetentionPreview
from app.services.retention.rules import (
    CUSTOM,
    PRESET_BY_KEY,
    PRESETS,
    Combine,
    RetentionRules,
    preset_for,
)
from app.ui import operations
from app.ui.errors import message_for
from app.ui.operations import guarded
from app.ui.widgets.messages import Notice, WarningBox, help_label, wrapped_label
from app.ui.widgets.table_model import RowsModel
from app.ui.widgets.times import day_text

_Index = QModelIndex | QPersistentModelIndex
HORIZONS = (("30 days", 30), ("3 months", 91), ("12 months", 365))
# (setting, label with its Alt letter, unit shown in the box)
NUMBERS = (
    ("archive_inactive_months", "Archive a&fter no activity for:", " months"),
    ("archive_after_closure_months", "Archive after cl&osing by:", " months"),
    ("destroy_inactive_years", "Destroy after no activit&y for:", " years"),
    ("destroy_child_age", "Destroy &when the youngest child is:", " years old"),
)
CUSTOM_TITLE = "Your own rules (set the numbers below)"


class PreviewModel(RowsModel):
    HEADERS = ("When", "What", "Case", "Why", "Note")
    rows: list[PreviewItem]

    def text(self, item: PreviewItem, column: int) -> str:
        when = "Next start" if item.next_run else day_text(item.due)
        what = "Destroy" if item.action == "destroy" else "Archive"
        note = ""
        if item.held:
            note = f"Kept: legal hold ({item.legal_hold_reason})"
        elif item.action == "destroy":
            note = "Calls stay as anonymous statistics"
        return (when, what, item.reference, item.rule, note)[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(item, index.column())
        return None


class _Sheet(QWidget):
    """Never squeezed below its natural height; the scroll bar takes over (large fonts)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self.sizeHint().height()))


def _spin(unit: str, parent: QWidget, maximum: int) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(0, maximum)
    spin.setSuffix(unit)
    spin.setSpecialValueText("never")  # 0 switches the rule off
    spin.setMaximumWidth(spin.fontMetrics().averageCharWidth() * 22)
    return spin


class RetentionTab(QWidget):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Retention")
        self.saved: RetentionRules | None = None
        self._filling = False
        self._asked = 0  # numbers each preview, so a late answer for older rules is dropped
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(self.scroll)
        sheet = _Sheet(self.scroll)
        self.scroll.setWidget(sheet)
        column = QVBoxLayout(sheet)

        rules_box = QGroupBox("How long records are kept", sheet)
        rules_column = QVBoxLayout(rules_box)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.preset = QComboBox(rules_box)
        for preset in PRESETS:
            self.preset.addItem(preset.title, preset.key)
        self.preset.addItem(CUSTOM_TITLE, CUSTOM)
        self.preset.setAccessibleName("Retention rules")
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(30)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        caption = QLabel("&Rules:", rules_box)
        caption.setBuddy(self.preset)
        form.addRow(caption, self.preset)
        self.source = help_label("", rules_box)
        form.addRow("", self.source)
        self.spins: dict[str, QSpinBox] = {}
        limits = {s.name: s for s in settings.RETENTION_SPECS}
        for name, label, unit in NUMBERS:
            spin = _spin(unit, rules_box, limits[name].maximum or 120)
            spin.setAccessibleName(label.replace("&", "").rstrip(":"))
            spin.setAccessibleDescription(limits[name].description)
            spin.setToolTip(limits[name].description)
            spin.valueChanged.connect(self._number_changed)
            # Not word-wrapped: a wrapped label in a form row is clipped; WrapLongRows moves a
            # label that does not fit (large fonts) above its field instead.
            caption = QLabel(label, rules_box)
            caption.setBuddy(spin)
            form.addRow(caption, spin)
            self.spins[name] = spin
        self.combine = QComboBox(rules_box)
        self.combine.addItem("whichever date comes first", Combine.FIRST.value)
        self.combine.addItem("whichever date comes later", Combine.LATER.value)
        self.combine.setAccessibleName("When both destroy rules give a date, destroy at")
        self.combine.currentIndexChanged.connect(self._number_changed)
        caption = QLabel("If both apply, &destroy at:", rules_box)
        caption.setBuddy(self.combine)
        form.addRow(caption, self.combine)
        rules_column.addLayout(form)
        self.words = wrapped_label("", rules_box)
        self.words.setAccessibleName("The rules in words")
        rules_column.addWidget(self.words)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Sav&e rules", rules_box)
        self.save_button.setToolTip("Save the retention rules (Ctrl+S)")
        self.save_button.setAccessibleName("Save the retention rules")
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton("&Undo changes", rules_box)
        self.undo_button.setAccessibleName("Undo the changes not yet saved")
        self.undo_button.clicked.connect(self.revert)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        rules_column.addLayout(buttons)
        self.notice = Notice("Retention rules result", rules_box)
        rules_column.addWidget(self.notice)
        rules_column.addWidget(help_label(
            "Confide applies these rules each time it starts, straight after the first sign-in. "
            "Archived cases are read-only and leave the case lists; a manager finds them with the "
            "Archived cases filter. A case on legal hold is never destroyed.", rules_box))
        column.addWidget(rules_box)

        preview_box = QGroupBox("What the next runs will do", sheet)
        preview_column = QVBoxLayout(preview_box)
        row = QHBoxLayout()
        self.horizon = QComboBox(preview_box)
        for label, _days in HORIZONS:
            self.horizon.addItem(label)
        self.horizon.setCurrentIndex(1)
        self.horizon.setAccessibleName("Preview the next")
        horizon_label = QLabel("Show the ne&xt:", preview_box)
        horizon_label.setBuddy(self.horizon)
        self.preview_button = QPushButton("&Preview", preview_box)
        self.preview_button.setToolTip("Show what the rules on screen would archive and destroy")
        self.preview_button.setAccessibleName("Preview what the rules on screen would do")
        self.preview_button.clicked.connect(self.show_preview)
        row.addWidget(horizon_label)
        row.addWidget(self.horizon)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        preview_column.addLayout(row)
        self.preview_count = wrapped_label("", preview_box)
        self.preview_count.setAccessibleName("Preview summary")
        preview_column.addWidget(self.preview_count)
        self.model = PreviewModel(self)
        self.table = QTableView(preview_box)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cases due to be archived or destroyed")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        preview_column.addWidget(self.table)
        column.addWidget(preview_box)

        last_box = QGroupBox("The last run", sheet)
        last_column = QVBoxLayout(last_box)
        self.last_run = wrapped_label("", last_box)
        self.last_run.setAccessibleName("Summary of the last retention run")
        self.last_run.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        last_column.addWidget(self.last_run)
        column.addWidget(last_box)
        column.addWidget(WarningBox(retention.COPIES_ELSEWHERE, "Backups kept elsewhere", sheet))
        column.addStretch(1)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        self._update()

    # -- the rules on screen --------------------------------------------------------------------

    def rules(self) -> RetentionRules:
        values = {name: spin.value() for name, spin in self.spins.items()}
        rules = RetentionRules(retention_preset=CUSTOM, destroy_combine=self.combine.currentData(),
                               **values)
        chosen = self.preset.currentData()
        return PRESET_BY_KEY[chosen].rules if chosen in PRESET_BY_KEY and \
            PRESET_BY_KEY[chosen].rules.numbers() == rules.numbers() else rules

    def set_rules(self, rules: RetentionRules) -> None:
        self._filling = True
        try:
            for name, spin in self.spins.items():
                spin.setValue(int(getattr(rules, name)))
            self.combine.setCurrentIndex(max(0, self.combine.findData(rules.destroy_combine)))
            self.preset.setCurrentIndex(max(0, self.preset.findData(preset_for(rules))))
        finally:
            self._filling = False
        self._update()

    def _preset_chosen(self, _index: int) -> None:
        if self._filling:
            return
        preset = PRESET_BY_KEY.get(self.preset.currentData())
        if preset is not None:
            self.set_rules(preset.rules)
        else:
            self._update()

    def _number_changed(self) -> None:
        if self._filling:
            return
        self._filling = True
        try:
            self.preset.setCurrentIndex(max(0, self.preset.findData(preset_for(self.rules()))))
        finally:
            self._filling = False
        self._update()

    def _update(self) -> None:
        rules = self.rules()
        preset = PRESET_BY_KEY.get(rules.retention_preset)
        self.source.setText(f"From: {preset.source}." if preset else
                            "Numbers you have chosen for your service.")
        self.combine.setEnabled(bool(rules.destroy_inactive_years and rules.destroy_child_age))
        self.words.setText("\n".join(rules.describe()))
        dirty = self.saved is not None and rules != self.saved
        self.save_button.setEnabled(dirty)
        self.undo_button.setEnabled(dirty)
        if not self._filling:
            self.notice.clear_text()

    def unsaved(self) -> bool:
        return self.saved is not None and self.rules() != self.saved

    # -- loading, saving, previewing -------------------------------------------------------------

    def refresh(self) -> None:
        """Reload what is saved (keeping unsaved edits), the last run, and the preview."""
        pending = self.rules() if self.unsaved() else None
        with guarded(self.notice.show_problem) as call:
            self.saved = retention.load_rules(self.ctx)
            last = retention.last_summary(self.ctx)
        if call.failed:
            return
        self.set_rules(pending or self.saved)
        self.last_run.setText("\n".join(last.lines()) if last else
                              "Retention has not run yet. It runs each time Confide starts.")
        self.show_preview()

    def revert(self) -> None:
        if self.saved is not None:
            self.set_rules(self.saved)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        with guarded(self.notice.show_problem) as call:
            self.saved = retention.save_rules(self.ctx, self.rules())
        if call.failed:
            return
        self.set_rules(self.saved)
        self.notice.show_text("Retention rules saved. They apply from the next start.", "ok")
        self.show_preview()

    def show_preview(self) -> None:
        days = HORIZONS[self.horizon.currentIndex()][1]
        rules, unsaved = self.rules(), self.unsaved()
        self._asked += 1
        asked = self._asked

        def found(preview: RetentionPreview) -> None:
            if asked == self._asked:
                self.model.set_rows(list(preview.items))
                self.preview_count.setText(preview_words(preview, unsaved))
                self.preview_count.setAccessibleName(self.preview_count.text())

        def failed(exc: BaseException) -> None:
            if asked == self._asked:
                self.model.set_rows([])
                self.preview_count.setText(message_for(exc))

        operations.run(self, "Finding the cases the rules will archive or destroy…",
                       lambda: retention.preview(self.ctx, rules, days), found, failed)

    def clear(self) -> None:
        self._asked += 1
        self.saved = None
        self.model.set_rows([])
        self.preview_count.clear()
        self.last_run.clear()
        self.notice.clear_text()


def preview_words(found: RetentionPreview, unsaved: bool) -> str:
    def n(count: int, what: str) -> str:
        return f"{count} case{'s' if count != 1 else ''} {what}"

    now_parts = [n(found.count("archive", next_run=True), "archived"),
                 n(found.count("destroy", next_run=True), "destroyed")]
    text = f"At the next start: {now_parts[0]} and {now_parts[1]}."
    later = found.count("archive", next_run=False) + found.count("destroy", next_run=False)
    text += f" By {day_text(found.until)}: {later} more."
    held = found.count("destroy", held=True)
    if held:
        text += f" {n(held, 'kept')} because of a legal hold."
    if unsaved:
        text += " (Rules on screen, not yet saved.)"
    return text
