"""Whether a tender's timetable is valid: the one pure rule (tenders/timetable.py ``timetable_problems``)
behind the model, the timetable form, the tender service, publication's readiness and a published change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tenders.timetable import CLARIFICATION_BEFORE_SUBMISSION, TimetableProblem, timetable_problems

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
moments = st.integers(min_value=-30 * 24, max_value=60 * 24).map(lambda hours: NOW + timedelta(hours=hours))
deadlines = st.none() | moments


@given(deadlines, deadlines)
def test_the_clarification_deadline_must_come_first(
    clarification: datetime | None, submission: datetime | None
) -> None:
    problems = timetable_problems(clarification_deadline=clarification, submission_deadline=submission)
    wrong = clarification is not None and submission is not None and clarification >= submission
    assert problems == ([TimetableProblem("clarification_deadline", CLARIFICATION_BEFORE_SUBMISSION)] if wrong else [])


@given(deadlines, deadlines)
def test_publication_needs_both_deadlines_set_and_in_the_future(
    clarification: datetime | None, submission: datetime | None
) -> None:
    problems = timetable_problems(clarification_deadline=clarification, submission_deadline=submission, now=NOW)
    for field, name, deadline in (
        ("clarification_deadline", "clarification", clarification),
        ("submission_deadline", "submission", submission),
    ):
        messages = [p.message for p in problems if p.field == field]
        if deadline is None:
            assert f"Set the {name} deadline" in messages
        elif deadline <= NOW:
            assert f"Move the {name} deadline into the future" in messages
        else:
            assert not messages or messages == [CLARIFICATION_BEFORE_SUBMISSION]
    if clarification is not None and submission is not None and NOW < clarification < submission:
        assert problems == []


@given(moments, moments, deadlines, deadlines)
def test_a_published_change_only_extends_deadlines_into_the_future(
    old_clarification: datetime, old_submission: datetime, clarification: datetime | None, submission: datetime | None
) -> None:
    published = (old_clarification, old_submission)
    new = (clarification or old_clarification, submission or old_submission)
    problems = timetable_problems(
        clarification_deadline=new[0], submission_deadline=new[1], now=NOW, published=published
    )
    by_field = {p.field: p.message for p in problems}
    for field, name, value, current in (
        ("clarification_deadline", "clarification", new[0], old_clarification),
        ("submission_deadline", "submission", new[1], old_submission),
    ):
        if value == current:
            assert by_field.get(field) in (None, CLARIFICATION_BEFORE_SUBMISSION)
        elif value < current:
            assert by_field[field] == f"The {name} deadline can only be extended, not brought forward"
        elif value <= NOW:
            assert by_field[field] == f"The {name} deadline must be in the future"
    if CLARIFICATION_BEFORE_SUBMISSION in by_field.values():
        assert problems == [TimetableProblem("clarification_deadline", CLARIFICATION_BEFORE_SUBMISSION)]
        assert new[0] >= new[1]


def test_an_unchanged_timetable_in_the_past_is_no_problem_for_a_change() -> None:
    past = (NOW - timedelta(days=2), NOW - timedelta(days=1))
    assert (
        timetable_problems(clarification_deadline=past[0], submission_deadline=past[1], now=NOW, published=past) == []
    )


def test_the_messages() -> None:
    assert timetable_problems(clarification_deadline=None, submission_deadline=NOW - timedelta(hours=1), now=NOW) == [
        TimetableProblem("clarification_deadline", "Set the clarification deadline"),
        TimetableProblem("submission_deadline", "Move the submission deadline into the future"),
    ]
    assert CLARIFICATION_BEFORE_SUBMISSION == "The clarification deadline must be before the submission deadline"
