"""Helpers for tests that export reports: reading a CSV back, and a spring of calls whose
monthly reports, exported with small counts hidden, gave hidden counts away to their quarter."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from app.services.calls.calls import CallDetails, log_anonymous_call
from app.services.cases.fields import Channel
from app.services.context import SignedIn
from app.services.reports import method as report_settings
from app.services.reports.disclosure_control import Method, Rules

SPRING = {4: {Channel.PHONE: 20, Channel.EMAIL: 3, Channel.LETTER: 9, Channel.FACE_TO_FACE: 6},
          5: {Channel.PHONE: 15, Channel.EMAIL: 7, Channel.LETTER: 2, Channel.FACE_TO_FACE: 8},
          6: {Channel.PHONE: 30, Channel.EMAIL: 8, Channel.LETTER: 12, Channel.FACE_TO_FACE: 1}}


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def log_spring_calls(manager: SignedIn) -> None:
    """The calls of SPRING (April to June 2026), and the service's method set to suppression."""
    for month, channels in SPRING.items():
        for channel, count in channels.items():
            for n in range(count):
                log_anonymous_call(manager, CallDetails(at=datetime(2026, month, 1 + n, 10), channel=channel))
    report_settings.save_rules(manager, Rules(Method.SUPPRESSION, 5))
