"""The first-run setup wizard. It draws app.services.install.setup_flow; the rules live there."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services.install.setup_flow import SetupFlow, Step
from app.services.install.vault import Vault
from app.services.people import InvalidInput
from app.ui import operations, theme
from app.ui.widgets.files import save_pdf
from app.ui.widgets.forms import FieldErrors, PasswordFields, field_with_error
from app.ui.widgets.messages import FieldError


def _intro(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _line(name: str, parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setAccessibleName(name)
    return edit


class ServicePage(QWizardPage):
    def __init__(self, flow: SetupFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle("Welcome to Confide")
        self.setSubTitle("First, the advice service this copy of Confide is for.")
        self.general = FieldError(self)
        self.errors = FieldErrors(self.general)
        self.name = _line("Service name", self)
        self.name.setPlaceholderText("for example, Northfield SEN Information and Advice")
        self.address = QPlainTextEdit(self)
        self.address.setAccessibleName("Service address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.phone = _line("Service phone number", self)
        form = QFormLayout()
        for label, widget, field in (("Service &name:", self.name, "service_name"),
                                     ("&Address:", self.address, "service_address"),
                                     ("&Phone:", self.phone, "service_phone")):
            box, error = field_with_error(widget, self)
            form.addRow(label, box)
            self.errors.add(field, error, widget)
        layout = QVBoxLayout(self)
        layout.addWidget(_intro(
            "Confide keeps your service's calls and case records in one encrypted file on this "
            "computer. The name, address and phone number below go on letters and printed "
            "forms; a manager can change them later in Admin.", self))
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addStretch(1)

    def validatePage(self) -> bool:
        try:
            self.flow.submit_service(self.name.text(), self.address.toPlainText(), self.phone.text())
        except InvalidInput as exc:
            self.errors.show(exc)
            return False
        self.errors.clear()
        return True


class ManagerPage(QWizardPage):
    def __init__(self, flow: SetupFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle("The first manager")
        self.setSubTitle("This account can add colleagues, change settings and make backups.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Create the database")
        self.general = FieldError(self)
        self.errors = FieldErrors(self.general)
        self.full_name = _line("Full name", self)
        self.username = _line("Username", self)
        self.username.setPlaceholderText("for example, margaret.smith")
        form = QFormLayout()
        for label, widget, field in (("&Full name:", self.full_name, "full_name"),
                                     ("&Username:", self.username, "username")):
            box, error = field_with_error(widget, self)
            form.addRow(label, box)
            self.errors.add(field, error, widget)
        self.passwords = PasswordFields(form, self.errors, "Password", self)
        self.store_warning = _intro("", self)
        theme.set_error_style(self.store_warning)
        self.password_only = QCheckBox("Protect with passwords only (less safe)", self)
        self.password_only.setAccessibleName("Protect with passwords only (less safe)")
        only_box, only_error = field_with_error(self.password_only, self)
        self.errors.add("allow_password_only", only_error, self.password_only)
        self.only_box = only_box
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.store_warning)
        layout.addWidget(only_box)
        layout.addWidget(self.general)
        layout.addStretch(1)

    def initializePage(self) -> None:
        needed = self.flow.needs_password_only_choice()
        self.store_warning.setText(self.flow.credential_store_message() if needed else "")
        self.store_warning.setVisible(needed)
        self.only_box.setVisible(needed)

    def cleanupPage(self) -> None:
        # Going back keeps what was typed; only the flow steps back.
        self.flow.back()

    def validatePage(self) -> bool:
        if self.flow.result is not None:
            return True
        password, confirm = self.passwords.values()
        try:
            self.flow.submit_manager(self.full_name.text(), self.username.text(), password, confirm,
                                     self.password_only.isChecked())
        except InvalidInput as exc:
            self.errors.show(exc)
            return False
        self.errors.clear()
        operations.run(self, "Creating the encrypted database…", self.flow.create,
                       self._created, self.errors.show)
        return False

    def _created(self, _result: object) -> None:
        self.passwords.clear()
        # Let validatePage return first, then move on (it now sees the database exists).
        QTimer.singleShot(0, self.wizard().next)


class KeyPage(QWizardPage):
    def __init__(self, flow: SetupFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle("Your recovery key")
        self.setSubTitle("Shown this once. Write it down or save the sheet and print it now.")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(16)
        self.save_button = QPushButton("Save recovery key sheet (PDF)…", self)
        self.save_button.setAccessibleName("Save recovery key sheet (PDF)")
        self.save_button.clicked.connect(self.save_sheet)
        warning = _intro(
            "The recovery key opens Confide's database on a new computer, or if passwords stop "
            "working. Keep the printed sheet locked away, apart from this computer, and delete "
            "the PDF once it is printed. Anyone with this key and a copy of the database can "
            "read everything in it. Confide will not show the key again.", self)
        theme.set_error_style(warning)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addSpacing(12)
        layout.addWidget(warning)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for index, group in enumerate(self.flow.recovery_groups()):
            row, column = divmod(index, 4)
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(0)
            number = QLabel(f"Group {index + 1}", cell)
            text = QLabel(group, cell)
            text.setFont(theme.monospace(text, 1.8))
            text.setAccessibleName(f"Group {index + 1}: {' '.join(group)}")
            cell_layout.addWidget(number)
            cell_layout.addWidget(text)
            self.grid.addWidget(cell, row, column)

    def validatePage(self) -> bool:
        self.flow.key_written_down()
        return True

    def save_sheet(self) -> None:
        from app.services.install import recovery_sheet

        flow = self.flow
        service_name, key, created_at = flow.service_name, flow.key_text(), flow.created_at
        save_pdf(self, "Save the recovery key sheet", "Confide recovery key.pdf",
                 lambda: recovery_sheet.recovery_sheet_pdf(service_name, key, created_at),
                 lambda _path: None, label="Making the recovery key sheet…")


class ConfirmPage(QWizardPage):
    def __init__(self, flow: SetupFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setTitle("Check the recovery key")
        self.setSubTitle("Type two groups back, to be sure the key was written down correctly.")
        self.form = QFormLayout()
        self.edits: dict[int, QLineEdit] = {}
        self.hints: dict[int, FieldError] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(_intro("Use Back to see the key again if you need to.", self))
        layout.addLayout(self.form)
        layout.addStretch(1)

    def initializePage(self) -> None:
        if self.edits:
            return
        for number in self.flow.check_groups:
            edit = _line(f"Group {number} of the recovery key", self)
            edit.setFont(theme.monospace(edit, 1.4))
            edit.setMaxLength(12)
            box, hint = field_with_error(edit, self)
            self.form.addRow(f"Group {number}:", box)
            edit.textChanged.connect(lambda _text, n=number: self._typed(n))
            self.edits[number], self.hints[number] = edit, hint

    def cleanupPage(self) -> None:
        self.flow.back()

    def typed(self) -> dict[int, str]:
        return {number: edit.text() for number, edit in self.edits.items()}

    def _typed(self, number: int) -> None:
        text = self.edits[number].text().replace(" ", "")
        if len(text) >= 5 and not self.flow.group_matches(number, text):
            self.hints[number].show_message(f"This is not group {number}. Check the key again.")
        else:
            self.hints[number].clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.flow.step is Step.CONFIRM_KEY and self.flow.typed_back(self.typed())

    def validatePage(self) -> bool:
        wizard = self.wizard()
        if self.flow.step is Step.DONE:
            return True
        try:
            credentials = self.flow.finish(self.typed())
        except InvalidInput:
            return False
        if isinstance(wizard, SetupWizard):
            wizard.credentials = credentials
        return True


class SetupWizard(QWizard):
    """Emits `completed(username, password)` once the key was typed back; then forgets them."""

    completed = Signal(str, str)

    def __init__(self, vault: Vault, flow: SetupFlow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow or SetupFlow(vault)
        self.credentials: tuple[str, str] | None = None
        self.setWindowTitle("Confide — Set up")
        self.setAccessibleName("Set up Confide")
        self.setWindowIcon(theme.icon("confide"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, theme.icon("confide").pixmap(48, 48))
        self.setButtonText(QWizard.WizardButton.FinishButton, "Finish and sign in")
        self.service_page = ServicePage(self.flow, self)
        self.manager_page = ManagerPage(self.flow, self)
        self.key_page = KeyPage(self.flow, self)
        self.confirm_page = ConfirmPage(self.flow, self)
        for page in (self.service_page, self.manager_page, self.key_page, self.confirm_page):
            self.addPage(page)
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                      QWizard.WizardButton.CommitButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):
            button = self.button(which)
            button.setAccessibleName(self.buttonText(which).replace("&", "").strip(" <>"))
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 90,
                            self.fontMetrics().lineSpacing() * 30)
        self.accepted.connect(self._done)

    def _done(self) -> None:
        credentials, self.credentials = self.credentials, None
        if credentials is not None:
            self.completed.emit(*credentials)

    def reject(self) -> None:
        if self.flow.step in (Step.RECOVERY_KEY, Step.CONFIRM_KEY):
            answer = QMessageBox.question(
                self, "Confide",
                "Confide is set up, but the recovery key will not be shown again. Close the "
                "wizard anyway? You can still sign in with the manager's password.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
