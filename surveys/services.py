"""Writes for the resident journey: submitting a response, opening a survey (saving part-way: saved_journeys)."""

import datetime as dt
import functools
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Field
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from common.prepared import OneRow
from common.rows import moment_prepared, new_row, new_rows, row_insert_where, values_insert
from surveys.equality.services import equality_profile_values
from surveys.models import Answer, Channel, EqualityProfile, Question, Response, SavedJourney, Survey
from surveys.readiness import SurveyProblem, survey_problems_list
from surveys.selectors import PREFER_NOT_TO_SAY, QuestionSpec, SurveyStructure, survey_structure_get

# Unambiguous when read aloud or copied from a screen: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OTHER_SUFFIX = "__other"


class SurveyClosedError(Exception):
    """The survey stopped accepting responses before this one was submitted."""


class StructureChangedError(Exception):
    """The survey's pages, questions or options changed after the answers were validated against them."""


class SurveyStatusError(ValueError):
    """Publishing a survey that is not a draft, or closing one that is not open: the message says which."""


def survey_publish_allowed(*, survey: Survey) -> None:
    """Refuse (SurveyStatusError) to publish a survey that is no longer a draft."""
    if survey.status != Survey.Status.DRAFT:
        raise SurveyStatusError("This survey has already been published.")


def survey_close_allowed(*, survey: Survey) -> None:
    """Refuse (SurveyStatusError) to close a survey that is not open."""
    if survey.status != Survey.Status.OPEN:
        raise SurveyStatusError("Only an open survey can be closed.")


class SurveyPublishError(ValueError):
    """The survey cannot go live; `problems` says why (see surveys/readiness.py)."""

    def __init__(self, problems: list[SurveyProblem]) -> None:
        self.problems = problems
        super().__init__(" ".join(p.message for p in problems))


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    # False when this journey had already been submitted (double click, refresh, second tab).
    created: bool


def reference_generate() -> str:
    """A short reference to quote, like "K7PX-3QMA" (31^8, about 850 billion, values)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def submission_key_generate() -> str:
    return secrets.token_urlsafe(32)


def journey_may_continue(*, survey: Survey, started_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """Whether a journey may go on (answer, save or send): while the survey is open, and for a short
    grace period (JOURNEY_CLOSING_GRACE_MINUTES) after it closes, for journeys begun before it closed."""
    now = now or timezone.now()
    if survey.is_accepting_responses(now):
        return True
    if survey.status == Survey.Status.DRAFT or survey.closes_at is None or started_at is None:
        return False
    grace = dt.timedelta(minutes=settings.JOURNEY_CLOSING_GRACE_MINUTES)
    return started_at < survey.closes_at <= now < survey.closes_at + grace


# Submitting -------------------------------------------------------------------------------------


class _ReferenceTaken(Exception):
    pass


class _NotInserted(Exception):
    """The database refused the response's row: `error` says why (its submission key, its reference, or other)."""

    def __init__(self, error: IntegrityError) -> None:
        super().__init__(error)
        self.error = error


def response_submit(
    *,
    survey: Survey,
    submission_key: str,
    reference: str,
    answers: Mapping[str, Any],
    equality_skipped: bool = False,
    channel: str = Channel.ONLINE,
    structure: SurveyStructure | None = None,
    saved_journey_id: int | None = None,
    journey_copy: str = "",
    started_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    keyed_in: bool = False,
    structure_cached: bool = False,
    on_stored: Callable[[Response], None] | None = None,
) -> SubmitResult:
    """Store one journey's answers as one response, exactly once.

    `answers` are the normalised answers of the questions the resident was shown. Consultation
    answers become Answer rows; "About you" answers go to an EqualityProfile, apart. A second call
    with the same `submission_key` (a double click, a refreshed POST, another tab of the same
    journey, even at the same moment) returns the first response: the unique constraint on
    (survey, submission_key) decides the race, and the loser reads the winner's row.

    `journey_copy` names the copy of the journey sending it (see Response.journey_copy); `started_at`
    lets a journey begun before the survey closed finish within the grace period. `keyed_in` is for
    responses an officer types in from paper, phone, events and partners: accepted once the survey is
    published, open or closed (paper forms posted before the closing date arrive after it).

    `structure_cached`: `structure` came from memory (surveys/structure_cache.py) and the answers were
    validated against it; it is checked to be the survey's current structure version as they are stored.

    `on_stored(response)` is called inside the transaction, last, when this call stored the response:
    for what must be committed with it or not at all (the resident's session forgetting the answers).
    What it writes shares the response's commit; if it raises, nothing is stored.

    Raises SurveyClosedError, writing nothing, when the survey is no longer accepting responses, and
    StructureChangedError, writing nothing, when a cached `structure` is no longer the survey's current
    structure version: its pages, questions or options changed since.
    """
    structure = structure or survey_structure_get(survey=survey)
    for _ in range(5):
        try:
            return _submit_once(
                survey=survey,
                submission_key=submission_key,
                reference=reference,
                answers=answers,
                equality_skipped=equality_skipped,
                channel=channel,
                structure=structure,
                saved_journey_id=saved_journey_id,
                journey_copy=journey_copy,
                started_at=started_at,
                now=now or timezone.now(),
                keyed_in=keyed_in,
                check_version=structure_cached,
                on_stored=on_stored,
            )
        except _ReferenceTaken:
            reference = reference_generate()
    raise RuntimeError("Could not find an unused response reference")  # pragma: no cover - 1 in 10^11 odds


def _submit_once(
    *,
    survey: Survey,
    submission_key: str,
    reference: str,
    answers: Mapping[str, Any],
    equality_skipped: bool,
    channel: str,
    structure: SurveyStructure,
    saved_journey_id: int | None,
    journey_copy: str,
    started_at: dt.datetime | None,
    now: dt.datetime,
    keyed_in: bool = False,
    check_version: bool = False,
    on_stored: Callable[[Response], None] | None = None,
) -> SubmitResult:
    # The response's row is the transaction's first write, with no look-up before it and no savepoint
    # around it: the unique constraint on (survey, submission_key) says whether this journey was sent
    # already. A refused insert leaves the block, which rolls back (nothing else is written yet). The
    # same INSERT reads the survey's row as it is now (an officer may have closed it while the resident
    # answered): it writes the row only if the survey is taking this response (`_taking_where`).
    row = new_row(
        Response,
        survey_id=survey.pk,
        reference=reference,
        submission_key=submission_key,
        journey_copy=journey_copy,
        channel=channel,
        submitted_at=now,
    )
    version = structure.version if check_version else None
    using = router.db_for_write(Response)
    try:
        # One cursor for the response's statements (its row, answers and About you row).
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            where, params = _taking_where(survey.pk, keyed_in=keyed_in, started_at=started_at, now=now, version=version)
            try:
                inserted = row_insert_where(Response, row, source=Survey, where=where, params=params, cursor=cursor)
            except IntegrityError as error:
                raise _NotInserted(error) from error
            if not inserted:
                raise _NotTaking
            # The response as stored, as a query would give it (`Model.from_db`): the row's values, in
            # the order of its fields (it has no key the database works out), none left to the database.
            response = Response.from_db(using, _response_attnames(), row)
            _answers_store(
                response, answers=answers, structure=structure, equality_skipped=equality_skipped, cursor=cursor
            )
            if saved_journey_id is not None:
                # The resume link has done its job; it must not reopen a sent response.
                SavedJourney.objects.filter(pk=saved_journey_id, survey=survey).delete()
            if on_stored is not None:
                on_stored(response)
    except _NotInserted as refused:
        # Either this journey was sent already, perhaps at this moment by a concurrent request (PostgreSQL
        # blocks the insert until that one has committed, so its row is visible now), or, rarely, the
        # reference is taken. Asked of the rows, not of the error's wording, which differs by database.
        existing = Response.objects.filter(survey=survey, submission_key=submission_key).first()
        if existing:
            return SubmitResult(existing, created=False)
        if Response.objects.filter(reference=reference).exists():
            raise _ReferenceTaken from None
        # Refused for another reason (a missing value, a check): retrying with a new reference would only
        # hide it behind "no unused reference".
        raise refused.error from None
    except _NotTaking:
        # Nothing was written. A journey sent already is still told so (as when the survey was open);
        # otherwise the survey's row, read afresh, says why: closed (or deleted), or its structure changed.
        existing = Response.objects.filter(survey=survey, submission_key=submission_key).first()
        if existing:
            return SubmitResult(existing, created=False)
        current = _survey_status_get(survey)
        if current is None:
            raise SurveyClosedError(survey.title) from None  # deleted since this request read it
        if keyed_in:
            taking = current.status != Survey.Status.DRAFT
        else:
            taking = journey_may_continue(survey=current, started_at=started_at, now=now)
        if taking and version is not None and current.structure_version != version:
            raise StructureChangedError(survey.title) from None
        # Not taking it (or, if it is again now, it was not when the INSERT read the row).
        raise SurveyClosedError(survey.title) from None
    return SubmitResult(response, created=True)


class _NotTaking(Exception):
    """The survey's row, as the response's INSERT read it, did not take the response: nothing was written."""


def _taking_where(
    survey_id: Any, *, keyed_in: bool, started_at: dt.datetime | None, now: dt.datetime, version: int | None
) -> tuple[str, list[Any]]:
    """SQL over the survey's table selecting its row only if the survey takes this response now, and its
    parameters: the rules of `journey_may_continue` (open, or a journey begun before it closed within
    the grace period after) or, keyed in, published (not a draft); and, given a `version`, that the
    survey's structure version is still that one. tests/surveys/test_services.py checks it against
    `journey_may_continue` for every kind of survey and journey."""
    connection = connections[router.db_for_write(Response)]
    sql = _taking_sql(connection.vendor, keyed_in, started_at is not None, version is not None)
    draft, open_ = _taking_statuses(connection.vendor)

    def moment(value: dt.datetime) -> Any:
        return moment_prepared(_survey_field("closes_at"), value, connection)

    params: list[Any] = [_survey_field("id").get_db_prep_value(survey_id, connection)]
    if keyed_in:
        params.append(draft)
    else:
        at = moment(now)
        params += [open_, at, at]
        if started_at is not None:
            grace = dt.timedelta(minutes=settings.JOURNEY_CLOSING_GRACE_MINUTES)
            params += [draft, moment(started_at), at, moment(now - grace)]
    if version is not None:
        params.append(_survey_field("structure_version").get_db_prep_value(version, connection))
    return sql, params


@functools.cache
def _taking_statuses(vendor: str) -> tuple[Any, Any]:
    """The statuses draft and open as `_taking_where` compares them, prepared once per kind of database."""
    connection = connections[router.db_for_write(Response)]
    status = _survey_field("status")
    return status.get_db_prep_value(Survey.Status.DRAFT, connection), status.get_db_prep_value(
        Survey.Status.OPEN, connection
    )


@functools.cache
def _response_attnames() -> list[str]:
    return [f.attname for f in Response._meta.concrete_fields]


@functools.cache
def _survey_field(name: str) -> Field[Any, Any]:
    field = Survey._meta.get_field(name)
    assert isinstance(field, Field)
    return field


@functools.cache
def _taking_sql(vendor: str, keyed_in: bool, started: bool, versioned: bool) -> str:
    quote = connections[router.db_for_write(Response)].ops.quote_name
    id_, status, opens, closes, version = (
        quote(_survey_field(name).column or name)
        for name in ("id", "status", "opens_at", "closes_at", "structure_version")
    )
    if keyed_in:
        taking = f"{status} <> %s"
    else:
        # Survey.is_accepting_responses: open, and between its dates where they are set.
        taking = f"({status} = %s AND ({opens} IS NULL OR {opens} <= %s) AND ({closes} IS NULL OR {closes} > %s))"
        if started:
            # journey_may_continue's grace: not a draft, begun before it closed, closed no longer ago than the grace.
            taking += f" OR ({status} <> %s AND {closes} > %s AND {closes} <= %s AND {closes} > %s)"
    sql = f"{id_} = %s AND ({taking})"
    return sql + f" AND {version} = %s" if versioned else sql


def _answers_store(
    response: Response,
    *,
    answers: Mapping[str, Any],
    structure: SurveyStructure,
    equality_skipped: bool,
    cursor: CursorWrapper | None = None,
) -> None:
    """The response's consultation answers as Answer rows, its "About you" answers apart (EqualityProfile)."""
    consultation: list[list[Any]] = []
    equality_answers: dict[str, Any] = {}
    answer_row = new_rows(Answer, response_id=response.pk)
    for q in structure.questions:
        if q.key not in answers:
            continue  # not shown to this resident: nothing to store
        if q.is_equality:
            equality_answers[q.key] = answers[q.key]
            if q.key + OTHER_SUFFIX in answers:
                equality_answers[q.key + OTHER_SUFFIX] = answers[q.key + OTHER_SUFFIX]
        else:
            consultation.extend(_answer_rows(answer_row, q, answers))
    if consultation:
        values_insert(Answer, consultation, cursor=cursor)
    if structure.has_equality_section:
        profile = equality_profile_values(
            response=response,
            answers={} if equality_skipped else equality_answers,
            section_skipped=equality_skipped,
            questions=structure.equality_questions,
        )
        if profile is not None:
            values_insert(EqualityProfile, [new_row(EqualityProfile, **profile)], cursor=cursor)


# Read inside sending's transaction: the survey's row as it is now (common/prepared.py: compiled once).
_survey_status = OneRow(Survey, "id", values=("status", "opens_at", "closes_at", "structure_version"))


def _survey_status_get(survey: Survey) -> Survey | None:
    """The survey's status, dates and structure version as they are now, or None if it is gone."""
    row = _survey_status.values_of(survey.pk)
    if row is None:
        return None
    status, opens_at, closes_at, structure_version = row
    return Survey(
        pk=survey.pk, status=status, opens_at=opens_at, closes_at=closes_at, structure_version=structure_version
    )


def _answer_rows(answer_row: Callable[..., list[Any]], q: QuestionSpec, answers: Mapping[str, Any]) -> list[list[Any]]:
    # Rows are built from ids (the structure's lookups are kept with it in memory), as values for
    # `values_insert`: a model instance per answer cost more to make than the row cost to insert.
    # `answer_row` makes a row of the response's (common/rows.py's `new_rows`).
    question_id = q.question.pk
    value = answers[q.key]

    def answer(**values: Any) -> list[Any]:
        return answer_row(question_id=question_id, **values)

    def choice_answer(selected: str) -> list[Any]:
        # The "Other" option offered without a Choice row is stored by its text alone.
        choices = q.choice_ids
        if selected in q.write_in_values:
            text = str(answers.get(q.key + OTHER_SUFFIX) or "")
        else:
            text = "" if selected in choices else selected
        return answer(choice_id=choices.get(selected), text=text)

    Type = Question.Type
    if q.type in (Type.SHORT_TEXT, Type.LONG_TEXT, Type.EMAIL, Type.POSTCODE):
        return [answer(text=value)] if value else []
    if q.type in (Type.SINGLE_CHOICE, Type.DROPDOWN, Type.AGREEMENT):
        return [choice_answer(value)] if value else []
    if q.type == Type.MULTIPLE_CHOICE:
        return [choice_answer(v) for v in value]
    if q.type in (Type.NUMBER, Type.DATE):
        if value == PREFER_NOT_TO_SAY:
            return [answer(text=PREFER_NOT_TO_SAY)]
        if not value:
            return []
        if q.type == Type.NUMBER:
            return [answer(number=Decimal(value))]
        return [answer(date=dt.date.fromisoformat(value))]
    if q.type == Type.GRID:
        rows, choices = q.row_ids, q.choice_ids
        return [
            answer(grid_row_id=rows[row], choice_id=choices.get(choice))
            for row, choice in value.items()
            if choice and row in rows
        ]
    if q.type == Type.DATE_OF_BIRTH:
        if value.get("prefer_not_to_say"):
            return [answer(text=PREFER_NOT_TO_SAY)]
        if not (value.get("date_of_birth") or value.get("age") is not None):
            return []
        born = value.get("date_of_birth")
        return [answer(date=dt.date.fromisoformat(born) if born else None, number=value.get("age"))]
    raise ValueError(f"Unknown question type {q.type!r}")


# Publishing -------------------------------------------------------------------------------------


@transaction.atomic
def survey_publish(
    *, survey: Survey, actor: Actor, opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None
) -> Survey:
    """Open a survey to residents, refusing one that residents could not finish (surveys/readiness.py).
    Recorded in the audit log as done by `actor`."""
    survey_publish_allowed(survey=survey)
    opens_at = opens_at or survey.opens_at
    closes_at = closes_at or survey.closes_at
    problems = survey_problems_list(survey=survey, opens_at=opens_at, closes_at=closes_at)
    if problems:
        raise SurveyPublishError(problems)
    survey.opens_at, survey.closes_at, survey.status = opens_at, closes_at, Survey.Status.OPEN
    survey.save(update_fields=["opens_at", "closes_at", "status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.SURVEY_PUBLISHED, target=survey)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, actor: Actor) -> Survey:
    """Stop accepting responses now. Journeys in progress are told so when they next submit.
    Recorded in the audit log as done by `actor`."""
    survey_close_allowed(survey=survey)
    survey.status = Survey.Status.CLOSED
    now = timezone.now()
    # The retention clock for "About you" answers runs from closes_at: closing early moves it forward.
    if survey.closes_at is None or survey.closes_at > now:
        survey.closes_at = now
        if survey.opens_at and survey.opens_at >= now:
            survey.opens_at = None  # closed before it opened: the dates must stay in order
    survey.save(update_fields=["status", "closes_at", "opens_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.SURVEY_CLOSED, target=survey)
    return survey
