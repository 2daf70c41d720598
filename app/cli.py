"""The `confide` command: the window with no sub-command, admin tasks from a terminal otherwise.

Exit codes: 0 done; 1 a problem, explained in plain words; 2 sign-in refused (argparse also
uses 2 for a mistyped command). Passwords and backup passphrases never come from arguments,
which anyone on the computer can see in the process list: they are read from a file named
with --password-file / --passphrase-file, or from standard input, one per line, in that order.
Sub-commands never import Qt, so they work on a server with no display (`self-test --window`
alone does, to check an installed build's Qt, and it draws off screen).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app import paths
from app.crash_log import log_unexpected
from app.services.errors import known_problem_message
from app.services.people import is_text

if TYPE_CHECKING:
    from app.services.context import SignedIn
    from app.services.install.vault import Vault

log = logging.getLogger("confide")

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_SIGN_IN = 2

APOLOGY = (
    "Sorry, something went wrong and Confide could not finish that. Nothing already saved has "
    "been lost. Please try again; if it happens again, note the time and tell your manager "
    "(the details are in Confide's log file)."
)


class CliProblem(Exception):
    """A problem to report in plain words, with the exit code that goes with it."""

    def __init__(self, message: str, code: int = EXIT_PROBLEM) -> None:
        super().__init__(message)
        self.code = code


# -- reading secrets ------------------------------------------------------------------------


class Secrets:
    """Passwords and passphrases from files or standard input, never from the command line."""

    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin

    def read(self, what: str, from_file: Path | None) -> str:
        try:
            value: str | None = self._line(what, from_file)
        except UnicodeDecodeError:
            value = None
        # The text rule's first part (app.services.people): what is not real Unicode cannot be
        # a password or passphrase. The services check the rest, for new ones.
        if value is None or not is_text(value):
            if from_file is not None:
                raise CliProblem(f"The {what} in {from_file} has a broken character in it (the file "
                                 "is not UTF-8 text): save it as UTF-8 and try again.")
            raise CliProblem(f"The {what} has a broken character in it (the terminal did not send "
                             "UTF-8 text); type it again.")
        if not value:
            raise CliProblem(
                f"No {what} was given. Put it on a line of standard input, or in a file named "
                "with the matching --…-file option."
            )
        return value

    def _line(self, what: str, from_file: Path | None) -> str:
        if from_file is not None:
            try:
                with open(from_file, encoding="utf-8") as handle:
                    return handle.readline().rstrip("\r\n")
            except OSError:
                raise CliProblem(f"The file given for the {what} could not be read: {from_file}") from None
        if self._stdin.isatty():
            return getpass.getpass(f"{what[0].upper()}{what[1:]}: ", stream=sys.stderr)
        return self._stdin.readline().rstrip("\r\n")


# -- the commands ---------------------------------------------------------------------------


def _vault(data_dir: Path) -> Vault:
    from app.services.install.vault import Vault

    return Vault(data_dir)


def _sign_in(args: argparse.Namespace, secrets: Secrets,
             before_recording: Callable[[SignedIn], None] | None = None) -> SignedIn:
    from app.services.install.vault import SignInRefused

    vault = _vault(args.data_path)
    if not vault.is_set_up():
        raise CliProblem(
            f"Confide is not set up in {args.data_path}. Start Confide, or run `confide setup`, "
            "to set it up (or check --data-dir)."
        )
    password = secrets.read("password", args.password_file)
    try:
        ctx = vault.sign_in(args.username, password, before_recording)
    except SignInRefused as exc:
        raise CliProblem(str(exc), EXIT_SIGN_IN) from None
    for notice in ctx.notices:
        print(notice, file=sys.stderr)
    return ctx


def _run_gui(args: argparse.Namespace, secrets: Secrets) -> int:
    try:
        from app.ui.shell.application import run_gui
    except ImportError as exc:
        if (exc.name or "").startswith(("PySide6", "shiboken6")):
            raise CliProblem(
                "Confide's window cannot open because Qt (PySide6) is missing from this "
                "installation. Reinstall Confide. The `confide` sub-commands still work."
            ) from None
        raise
    return int(run_gui(args.data_path))


def _self_test(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.services.install.self_test import SelfTestFailed, run_self_test

    def report(step: str) -> None:
        print(f"  ok   {step}", flush=True)

    try:
        run_self_test(report)
        if args.window:
            try:
                from app.ui.shell.window_check import run_window_check
            except ImportError as exc:
                raise SelfTestFailed(f"Qt could not be loaded ({exc}).") from None
            run_window_check(report)
    except SelfTestFailed as exc:
        reason = str(exc)
    except Exception as exc:
        # Whoever runs the self-test (support, the packaging build) needs the kind of failure.
        reason = known_problem_message(exc) or f"unexpected {type(exc).__name__} (details in the log)"
        if isinstance(exc, ImportError) and exc.name:
            # A module missing from a bundle: its name is what the packager needs, and holds no data.
            reason = f"a part of Confide is missing from this installation ({exc.name})"
        log_unexpected(exc, "self-test error")
    else:
        print("self-test ok")
        return EXIT_OK
    print(f"self-test FAILED: {reason}", file=sys.stderr)
    return EXIT_PROBLEM


def _setup(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.services.install import credential_store
    from app.services.install.vault import SetupDetails

    vault = _vault(args.data_path)
    if vault.is_set_up():
        raise CliProblem(f"Confide is already set up in {args.data_path}; nothing was changed.")
    store = credential_store.status()
    if not store.available and not args.allow_password_only:
        raise CliProblem(
            store.message + " To set Confide up with password-only protection anyway, run the "
            "same command again with --allow-password-only."
        )
    password = secrets.read("password for the new manager account", args.password_file)
    result = vault.set_up(
        SetupDetails(
            service_name=args.service_name,
            service_address=args.address.replace("\\n", "\n"),
            service_phone=args.phone,
            service_email=args.email,
            manager_name=args.manager_name,
            manager_username=args.username,
            manager_password=password,
            manager_password_confirm=password,
            allow_password_only=args.allow_password_only,
        )
    )
    print(f"Confide is set up in {args.data_path}.")
    if result.password_only:
        print(store.message, file=sys.stderr)
    print()
    print("RECOVERY KEY - shown this once only. Write it down or print it, and lock it away:")
    print()
    print(f"    {result.recovery_key}")
    print()
    print("It opens the database without a password, on a new computer or if passwords are lost.")
    print("Anyone who has it and a copy of the database can read everything in it.")
    return EXIT_OK


def _audit_verify(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.services import audit

    checks: list[audit.ChainCheck] = []
    # The trail is checked as it was found, before this sign-in is recorded in it. verify
    # refuses anyone but a manager, as reading the trail does.
    ctx = _sign_in(args, secrets, lambda found: checks.append(audit.verify(found)))
    ctx.close()
    check = checks[0]
    print(check.message)
    if not check.ok:
        if check.first_broken_id is not None:
            print(f"First broken event: {check.first_broken_id}")
        return EXIT_PROBLEM
    return EXIT_OK


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def _backup(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.services.install import backup

    ctx = _sign_in(args, secrets)
    try:
        passphrase = secrets.read("backup passphrase", args.passphrase_file)
        info = backup.create_backup(ctx, args.out, passphrase, passphrase)
    finally:
        ctx.close()
    print(f"Backup written to {info.path} ({_size(info.size)}).")
    print("Keep the passphrase somewhere apart from the backup: without it the backup cannot be opened.")
    return EXIT_OK


def _restore(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.services.install import backup

    ctx = _sign_in(args, secrets)
    try:
        passphrase = secrets.read("backup passphrase", args.passphrase_file)
        safety_copy = backup.restore_backup(ctx, args.file, passphrase)
    finally:
        ctx.close()
    print("Backup restored. Everyone needs to sign in again.")
    print(f"The data that was there before is kept in {safety_copy}.")
    return EXIT_OK


def _report(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.services.reports import report
    from app.services.reports.period import Month, month_range

    period = month_range(Month.parse(args.first, "from"), Month.parse(args.last, "to"))
    if args.out.exists() and not args.replace:
        raise CliProblem(f"{args.out} already exists; nothing was written. Choose another file, or add "
                         "--replace to write over it.")
    ctx = _sign_in(args, secrets)
    try:
        result = report.export_report(ctx, period, report.ReportFormat(args.format), args.out)
    finally:
        ctx.close()
    print(f"Report for {period.label} written to {result.path} ({_size(result.size)}).")
    return EXIT_OK


def _demo(args: argparse.Namespace, secrets: Secrets) -> int:
    from app.demo.data import build_demo

    print(f"Building a {args.size} demo database in {args.data_path} (fictional data only).")
    build = build_demo(args.data_path, args.size, args.seed,
                       progress=lambda step: print(f"  {step}", flush=True))
    print(f"Done in {build.seconds:.0f} s: " + ", ".join(
        f"{count:,} {table}" for table, count in build.counts.items() if count))
    if build.password_only:
        print("No credential store on this computer: the demo uses password-only protection.")
    print()
    print("Demo accounts (username / password / role):")
    for account in build.accounts:
        print(f"    {account.username:<12} {account.password:<32} {account.role}")
    print()
    print(f"Recovery key: {build.recovery_key}")
    print(f"Open it with: confide --data-dir {args.data_path}")
    return EXIT_OK


# -- arguments ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="confide",
        description="Confide: encrypted call logging and case records for SEN advice services. "
        "With no command, opens the Confide window.",
    )
    parser.add_argument("--data-dir", metavar="DIR",
                        help=f"the data folder (default: ${paths.DATA_DIR_ENV}, then the user data folder)")
    parser.set_defaults(handler=_run_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    sign_in = argparse.ArgumentParser(add_help=False)
    sign_in.add_argument("--username", required=True,
                         help="your username (a manager's; for report, a coordinator's or manager's)")
    sign_in.add_argument("--password-file", type=Path, metavar="FILE",
                         help="read the password from the first line of FILE (default: standard input)")
    passphrase = argparse.ArgumentParser(add_help=False)
    passphrase.add_argument("--passphrase-file", type=Path, metavar="FILE",
                            help="read the backup passphrase from FILE (default: the next line of "
                            "standard input)")

    command = commands.add_parser("self-test", help="check encryption works on this computer, in a "
                                  "throwaway folder")
    command.add_argument("--window", action="store_true",
                         help="also start Qt and draw the setup wizard and About box off screen "
                         "(checks an installed build is complete)")
    command.set_defaults(handler=_self_test)

    command = commands.add_parser("setup", help="set Confide up without the window")
    command.add_argument("--service-name", required=True)
    command.add_argument("--address", default="", help=r"postal address; separate lines with \n")
    command.add_argument("--phone", default="")
    command.add_argument("--email", default="")
    command.add_argument("--manager-name", required=True, help="the first manager's full name")
    command.add_argument("--username", required=True, help="the first manager's username")
    command.add_argument("--password-file", type=Path, metavar="FILE",
                         help="read the new password from FILE (default: standard input)")
    command.add_argument("--allow-password-only", action="store_true",
                         help="go ahead on a computer with no credential store (less safe)")
    command.set_defaults(handler=_setup)

    command = commands.add_parser("demo", help="build a database of fictional demo data in a new "
                                  "folder, with demo staff accounts")
    command.add_argument("--data-dir", default=argparse.SUPPRESS, metavar="DIR",
                         help="the new demo folder (never an existing Confide folder)")
    command.add_argument("--size", choices=("small", "year", "year10"), default="small",
                         help="small: ~200 calls; year: ~6,000 calls; year10: ~60,000 calls over "
                         "ten years")
    command.add_argument("--seed", type=int, default=2026, help="the same seed gives the same data")
    command.set_defaults(handler=_demo)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(title="audit commands", metavar="COMMAND", required=True)
    command = audit_commands.add_parser("verify", parents=[sign_in],
                                        help="check no audit event has been altered or removed")
    command.set_defaults(handler=_audit_verify)

    command = commands.add_parser("backup", parents=[sign_in, passphrase],
                                  help="write an encrypted backup file")
    command.add_argument("--out", type=Path, required=True, metavar="FILE",
                         help="the new backup file (an existing file is never overwritten)")
    command.set_defaults(handler=_backup)

    command = commands.add_parser("report", parents=[sign_in],
                                  help="write the anonymous usage report (coordinators and managers)")
    command.add_argument("--from", dest="first", required=True, metavar="YYYY-MM",
                         help="the first month of the report, such as 2025-04")
    command.add_argument("--to", dest="last", required=True, metavar="YYYY-MM",
                         help="the last month, included (2026-03 with --from 2025-04 is a financial year)")
    command.add_argument("--format", choices=("pdf", "csv"), default="pdf", help="pdf (with charts) or csv")
    command.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")
    command.add_argument("--replace", action="store_true", help="write over FILE if it already exists")
    command.set_defaults(handler=_report)

    command = commands.add_parser("restore", parents=[sign_in, passphrase],
                                  help="replace the data with a backup (the current data is kept "
                                  "in the backups folder)")
    command.add_argument("file", type=Path, metavar="FILE", help="the backup file")
    command.set_defaults(handler=_restore)
    return parser


# -- errors and logging ---------------------------------------------------------------------


def _start_logging(data_dir: Path) -> logging.Handler:
    """Log to <data>/logs/confide.log, the same file the window uses.

    Without a data folder the handler discards records: it is there so Python's last-resort
    handler never prints a log line in the terminal.
    """
    handler: logging.Handler = logging.NullHandler()
    if data_dir.is_dir():
        folder = paths.ensure_private_dir(data_dir / "logs")
        handler = logging.FileHandler(folder / "confide.log", encoding="utf-8")
        if os.name == "posix":
            os.chmod(folder / "confide.log", 0o600)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.setLevel(logging.INFO)
    log.addHandler(handler)
    return handler


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    args.data_path = paths.data_dir(args.data_dir)
    handler: Callable[[argparse.Namespace, Secrets], int] = args.handler
    if handler is _run_gui:
        # The window silences SQLCipher itself, once its first window shows (warm_up): the
        # storage module brings SQLAlchemy, which that window should not wait for.
        return _guarded(handler, args)
    from app.models.storage import silence_cipher_log

    silence_cipher_log()
    log_handler = _start_logging(args.data_path)
    try:
        return _guarded(handler, args)
    finally:
        log.removeHandler(log_handler)
        log_handler.close()


def _guarded(handler: Callable[[argparse.Namespace, Secrets], int], args: argparse.Namespace) -> int:
    """Run a command; known problems become their plain message, bugs an apology and a log line."""
    try:
        return handler(args, Secrets(sys.stdin))
    except CliProblem as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as exc:
        known = known_problem_message(exc)
        if known is not None:
            print(known, file=sys.stderr)
            return EXIT_PROBLEM
        log_unexpected(exc)
        print(APOLOGY, file=sys.stderr)
        return EXIT_PROBLEM
