"""An anonymous call's summary is searched for names, numbers and dates before it is saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import audit
from app.services.calls import calls, summary_check
from app.services.calls.calls import CallDetails, IdentifyingSummary
from app.services.calls.summary_check import Kind
from app.services.clock import now
from app.services.context import SignedIn
from tests.services.case_helpers import open_case_for


def refused(ctx: SignedIn, summary: str) -> list[tuple[str, str]]:
    """What saving `summary` as an anonymous call was refused for: (kind, text) pairs."""
    with pytest.raises(IdentifyingSummary) as caught:
        calls.log_anonymous_call(ctx, CallDetails(summary=summary))
    assert caught.value.field == "summary"
    return [(finding.kind.value, finding.text) for finding in caught.value.findings]


@pytest.mark.parametrize(("summary", "kind", "typed"), [
    ("Mum rang from 07700 900123 about transport.", Kind.PHONE, "07700 900123"),
    ("They live at mk6 1aa, near the school.", Kind.POSTCODE, "mk6 1aa"),
    ("Lives in SW1A1AA.", Kind.POSTCODE, "SW1A1AA"),
    ("Wrote from jo.bloggs+sen@example.org last week.", Kind.EMAIL, "jo.bloggs+sen@example.org"),
    ("Child born 03/04/2015, in Year 6.", Kind.BIRTH_DATE, "03/04/2015"),
    ("DOB 3rd March 2012, asked about college.", Kind.BIRTH_DATE, "3rd March 2012"),
    ("Date of birth 2011-09-30.", Kind.BIRTH_DATE, "2011-09-30"),
    ("Jamie's mum asked about the annual review.", Kind.NAME, "Jamie"),
])
def test_each_kind_is_found_and_refused(manager: SignedIn, summary: str, kind: Kind, typed: str) -> None:
    assert refused(manager, summary) == [(kind.value, typed)]
    assert calls.recent_calls(manager) == []


def test_a_name_held_in_the_search_index_is_found(manager: SignedIn) -> None:
    # Neither word is a common given name: only the index knows them as names.
    open_case_for(manager, "Quixleigh")
    assert refused(manager, "Spoke to Mrs Quixleigh about a transfer.") == [("name", "Quixleigh")]


def test_the_message_names_what_was_found(manager: SignedIn) -> None:
    with pytest.raises(IdentifyingSummary) as caught:
        calls.log_anonymous_call(manager, CallDetails(summary="Jamie, 07700 900123"))
    message = str(caught.value)
    assert "Jamie looks like a name" in message
    assert "This looks like a phone number: 07700 900123" in message


@pytest.mark.parametrize("summary", [
    "Asked about EHCP annual review timescales, year 6 transition",
    "Mum asked how long an EHC needs assessment takes; gave the 20-week timescale.",
    "SENCo will call back. Year 10, Section 41 school list, 2 hours a week of support, £1500.",
    "May ring again in June about the Tribunal appeal; advice given on the LA's letter.",
    "Dad rang about the school's exclusion policy. Signposted to IPSEA and the Local Offer.",
])
def test_ordinary_summaries_are_saved_without_a_word(manager: SignedIn, summary: str) -> None:
    record = calls.log_anonymous_call(manager, CallDetails(summary=summary))
    assert record.summary == summary


def test_a_recent_or_coming_date_is_not_a_birth_date(manager: SignedIn) -> None:
    soon, lately = now() + timedelta(days=20), now() - timedelta(days=60)
    summary = f"Meeting on {lately:%d/%m/%Y}; tribunal hearing on {soon:%d %B %Y}."
    assert calls.log_anonymous_call(manager, CallDetails(summary=summary)).summary == summary


_MOBILE = st.from_regex(r"\A7[1-57-9][0-9]{8}\Z")
_LONDON = st.from_regex(r"\A20[378][0-9]{7}\Z")
# Area codes with six-digit local numbers: Milton Keynes, Northampton, Guildford, Norwich.
_GEOGRAPHIC = st.builds(str.__add__, st.sampled_from(["1908", "1604", "1483", "1603"]),
                        st.from_regex(r"\A[2-9][0-9]{5}\Z"))


def _written(significant: str, style: int) -> str:
    """A UK number written as people write them: with 0 or +44, spaced or not."""
    if significant.startswith("20"):
        groups = [significant[:2], significant[2:6], significant[6:]]
    else:
        groups = [significant[:4], significant[4:]]
    match style:
        case 0:
            return "0" + " ".join(groups)
        case 1:
            return "0" + significant
        case 2:
            return "+44 " + " ".join(groups)
        case 3:
            return "+44" + significant
        case _:
            return "+44 " + " ".join(significant[i:i + 3] for i in range(0, len(significant), 3))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(significant=st.one_of(_MOBILE, _LONDON, _GEOGRAPHIC), style=st.integers(0, 4),
       around=st.sampled_from([("Ring back on ", " after school."), ("Mum's number is ", ""),
                               ("Call ", ", any time."), ("Ring (", ") tomorrow.")]))
def test_phone_numbers_are_found_however_written(manager: SignedIn, significant: str, style: int,
                                                 around: tuple[str, str]) -> None:
    number = _written(significant, style)
    findings = summary_check.find(manager, number.join(around))
    assert [(f.kind, f.text) for f in findings] == [(Kind.PHONE, number)]


def test_saving_anyway_is_audited_with_the_kinds_and_no_text(manager: SignedIn) -> None:
    summary = "Jamie, 07700 900123, jo@example.org, MK6 1AA, born 03/04/2015"
    record = calls.log_anonymous_call(manager, CallDetails(summary=summary), save_anyway=True)
    assert record.summary == summary
    logged = audit.list_events(manager, audit.AuditFilter(action="call logged"))
    assert logged[0].target == f"call:{record.id}"
    for kind in Kind:
        assert kind.value in logged[0].detail
    for typed in ("Jamie", "07700", "900123", "jo@", "example", "MK6", "1AA", "2015"):
        assert not [event for event in audit.list_events(manager, audit.AuditFilter())
                    if typed in event.detail or typed in event.target]


def test_a_summary_without_findings_is_audited_as_before(manager: SignedIn) -> None:
    calls.log_anonymous_call(manager, CallDetails(summary="Asked about transport."), save_anyway=True)
    logged = audit.list_events(manager, audit.AuditFilter(action="call logged"))
    assert "saved_with" not in logged[0].detail
