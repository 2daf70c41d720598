"""Admin → Letters: the wording of each letter template, with a preview for a made-up family, and
the logo at the top of every letter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.context import SignedIn
from app.services.letters import letterhead, letters
from app.services.letters.letters import TemplateView
from app.ui.errors import message_for
from app.ui.letters.composer import preview_html
from app.ui.operations import guarded
from app.ui.widgets.forms import FieldErrors, add_row
from app.ui.widgets.messages import Notice, help_label


def fields_help() -> str:
    known = ", ".join("{" + name + "}" for name in letters.KNOWN_FIELDS)
    return (f"Confide fills in {known}. Any other word in braces, such as {{appointment_date}}, is "
            "left for whoever writes the letter to type, and the letter cannot be sent until they do.")


class LetterTemplatesTab(QWidget):
    def __init__(self, ctx: SignedIn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Letter templates")
        self.current: TemplateView | None = None
        column = QVBoxLayout(self)
        self.notice = Notice("Letters message", self)
        self.errors = FieldErrors(self.notice)
        column.addWidget(self.notice)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(splitter)
        self.list.setAccessibleName("Letter templates")
        self.list.currentItemChanged.connect(lambda *_: self._chosen())
        editor = QWidget(splitter)
        form = QFormLayout(editor)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)


        self.title_edit = QLineEdit(editor)
        self.title_edit.setMaxLength(letters.TITLE_MAX)
        add_row(form, self.errors, editor, "title", "&Title:", self.title_edit)
        self.subject = QLineEdit(editor)
        self.subject.setMaxLength(letters.SUBJECT_MAX)
        add_row(form, self.errors, editor, "subject", "S&ubject:", self.subject)
        self.body = QPlainTextEdit(editor)
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        add_row(form, self.errors, editor, "body", "Wordi&ng:", self.body, fields_help())
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save the &wording", editor)
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("&Reset to the original", editor)
        self.reset_button.clicked.connect(self.reset)
        for button in (self.save_button, self.reset_button):
            button.setAccessibleName(button.text().replace("&", ""))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        form.addRow("", _wrap(buttons, editor))
        self.preview = QTextBrowser(splitter)
        self.preview.setAccessibleName("Preview for a made-up family")
        splitter.addWidget(self.list)
        splitter.addWidget(editor)
        splitter.addWidget(self.preview)
        width = self.fontMetrics().averageCharWidth()
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([width * 34, width * 80, width * 55])
        column.addWidget(splitter, 1)

        logo_row = QHBoxLayout()
        self.logo = QLabel(self)
        self.logo.setAccessibleName("The logo on letters")
        self.logo_button = QPushButton("Choose a l&ogo picture…", self)
        self.logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton("Re&move the logo", self)
        self.remove_logo_button.clicked.connect(lambda: self.set_logo(None))
        for button in (self.logo_button, self.remove_logo_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        logo_row.addWidget(help_label("Logo at the top left of every letter (PNG or JPEG, under 1 MB):",
                                      self))
        logo_row.addWidget(self.logo)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.remove_logo_button)
        logo_row.addStretch(1)
        column.addLayout(logo_row)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self._update_preview)
        for edit in (self.title_edit, self.subject):
            edit.textChanged.connect(lambda _text: self.timer.start())
        self.body.textChanged.connect(self.timer.start)

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        chosen = self.current.key if self.current else None
        with guarded(self.notice.show_problem) as call:
            templates = letters.templates(self.ctx)
            logo = letterhead.current_logo(self.ctx)
        if call.failed:
            return
        self.list.blockSignals(True)
        self.list.clear()
        for template in templates:
            item = QListWidgetItem(template.title + (" (your wording)" if template.customised else ""))
            item.setData(Qt.ItemDataRole.UserRole, template)
            self.list.addItem(item)
            if template.key == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._chosen()
        self._show_logo(logo)

    def _chosen(self) -> None:
        item = self.list.currentItem()
        template = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.current = template
        self.errors.clear()
        if template is None:
            return
        self.title_edit.setText(template.title)
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self.reset_button.setEnabled(template.customised)
        self._update_preview()

    def _update_preview(self) -> None:
        if self.current is None:
            return
        with guarded(lambda exc: self.preview.setPlainText(message_for(exc))) as call:
            content = letters.sample_content(self.ctx, self.subject.text(), self.body.toPlainText())
        if call.failed:
            return
        self.preview.setHtml(preview_html(content))

    def _show_logo(self, logo: bytes | None) -> None:
        self.remove_logo_button.setEnabled(logo is not None)
        if logo is None:
            self.logo.setText("(none)")
            return
        picture = QPixmap()
        picture.loadFromData(logo)
        self.logo.setPixmap(picture.scaledToHeight(self.fontMetrics().height() * 2,
                                                   Qt.TransformationMode.SmoothTransformation))

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        if self.current is None:
            return
        self.errors.clear()
        with guarded(self.errors.show) as call:
            saved = letters.save_template(self.ctx, self.current.key, self.title_edit.text(),
                                          self.subject.text(), self.body.toPlainText())
        if call.failed:
            return
        self.current = saved
        self.refresh()
        self.notice.show_text(f"The wording of “{saved.title}” is saved; new letters use it.", "ok")

    def reset(self) -> None:
        if self.current is None:
            return
        with guarded(self.errors.show) as call:
            back = letters.reset_template(self.ctx, self.current.key)
        if call.failed:
            return
        self.current = back
        self.refresh()
        self.notice.show_text(f"“{back.title}” is back to the original wording.", "ok")

    def choose_logo(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Choose the logo", "", "Pictures (*.png *.jpg *.jpeg)")
        if not chosen:
            return
        try:
            content = Path(chosen).read_bytes()
        except OSError:
            self.notice.show_text("That file could not be read. Choose another.", "error")
            return
        self.set_logo(content)

    def set_logo(self, content: bytes | None) -> None:
        with guarded(self.notice.show_problem) as call:
            letterhead.set_logo(self.ctx, content)
        if call.failed:
            return
        self._show_logo(content)
        self._update_preview()
        self.notice.show_text("Logo removed." if content is None else "Logo saved; it is on new letters.",
                              "ok")

    def clear(self) -> None:
        self.list.clear()
        self.title_edit.clear()
        self.subject.clear()
        self.body.clear()
        self.preview.clear()
        self.current = None
        self.notice.clear_text()


def _wrap(layout: QHBoxLayout, parent: QWidget) -> QWidget:
    holder = QWidget(parent)
    holder.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    return holder
