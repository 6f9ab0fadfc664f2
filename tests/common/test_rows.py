"""New rows written from their values (common/rows.py)."""

import uuid

import pytest
from django.db import IntegrityError, connection, models, transaction

from common.rows import new_row, new_rows, row_insert_where
from surveys.models import Answer, EqualityProfile, Response, Survey
from tests.factories import QuestionFactory, SurveyFactory


def test_rows_written_from_values_refuse_a_model_whose_fields_work_out_their_own():
    """Answers are written from values, with no model instance: a field that works out its value as it is
    saved (a survey's created_at, auto_now_add) would be written without it, so such a model is refused."""
    with pytest.raises(TypeError, match="insert an instance"):
        new_row(Survey, title="Parks")
    with pytest.raises(TypeError, match="no field 'colour'"):
        new_row(Answer, question_id=1, colour="red")


def _response_row(survey, key):
    return new_row(Response, survey_id=survey.pk, reference=key, submission_key=key, journey_copy="", channel="online")


@pytest.mark.django_db
def test_a_row_is_inserted_only_where_its_condition_holds_as_it_is_written():
    """`row_insert_where`: one INSERT ... SELECT, writing the row only if a row of the source table meets the
    condition, read as the row is written (sending: the survey takes the response, docs/decisions/0044)."""
    survey = SurveyFactory()
    survey_id = Survey._meta.pk.get_db_prep_value(survey.pk, connection)
    status = connection.ops.quote_name("status")
    where = f"{connection.ops.quote_name('id')} = %s AND {status} = %s"

    assert not row_insert_where(
        Response, _response_row(survey, "k1"), source=Survey, where=where, params=[survey_id, "closed"]
    )
    assert not Response.objects.exists()
    assert row_insert_where(
        Response, _response_row(survey, "k2"), source=Survey, where=where, params=[survey_id, survey.status]
    )
    stored = Response.objects.get()
    assert (stored.survey_id, stored.submission_key, stored.channel) == (survey.pk, "k2", "online")
    # A unique constraint still refuses the row, with the database's own error.
    with pytest.raises(IntegrityError), transaction.atomic():
        row_insert_where(
            Response, _response_row(survey, "k2"), source=Survey, where=where, params=[survey_id, survey.status]
        )
    assert Response.objects.count() == 1


def test_a_new_row_takes_each_default_as_the_models_constructor_would():
    """Defaults that never change (None, "", a string) are worked out once per model; a function's (a new
    key) and one that could be changed in place (a dict) afresh for every row, as Model() does."""
    first, second = new_row(EqualityProfile), new_row(EqualityProfile)
    fields = [f.attname for f in EqualityProfile._meta.concrete_fields if f.attname != "id"]
    assert dict(zip(fields, first, strict=True)) == {
        f.attname: getattr(EqualityProfile(), f.attname)
        for f in EqualityProfile._meta.concrete_fields
        if f.attname != "id"
    }
    write_ins = fields.index("write_ins")
    assert first[write_ins] == {} and first[write_ins] is not second[write_ins]
    names = [f.attname for f in Response._meta.concrete_fields]
    one, other = new_row(Response, journey_copy=""), new_row(Response, journey_copy="")
    worked_out = {names.index("id"), names.index("submitted_at")}  # uuid4 and timezone.now, each row's own
    assert one[names.index("id")] != other[names.index("id")]
    assert [v for i, v in enumerate(one) if i not in worked_out] == [
        v for i, v in enumerate(other) if i not in worked_out
    ]


@pytest.mark.django_db
def test_plain_values_are_prepared_once_for_the_process_and_the_kept_ones_stay_few(monkeypatch):
    """Ids and flags recur from response to response: prepared once for the process (docs/decisions/0044),
    not once per statement. A response's own key and any text (a resident's answer, however short) are not
    kept, and what is kept is emptied once it holds _KEPT_MOST values."""
    from common import rows

    question = QuestionFactory()
    response = Response.objects.create(survey=question.page.survey, reference="R1", submission_key="k1")
    kept = rows._kept_prepared(connection.alias, Answer)
    kept.clear()
    prepared = []
    field = Answer._meta.get_field("question")
    real = type(field).get_db_prep_save
    monkeypatch.setattr(type(field), "get_db_prep_save", lambda self, v, c: prepared.append(v) or real(self, v, c))
    for text in ("M33 7XX", "x" * 200):
        rows.values_insert(Answer, [new_row(Answer, response_id=response.pk, question_id=question.pk, text=text)])
    assert prepared.count(question.pk) == 1  # the second statement's came from what was kept
    assert prepared.count(response.pk) == 2  # a UUID, once per statement
    assert Answer.objects.filter(question=question).count() == 2
    assert kept and not [key for key in kept if key[1] in (uuid.UUID, str)]  # no key, no resident's text

    monkeypatch.setattr(rows, "_KEPT_MOST", 3)
    for n in range(5):
        rows.values_insert(Answer, [new_row(Answer, response_id=response.pk, question_id=question.pk, text=f"t{n}")])
        assert len(kept) <= 3 + len(rows._insert_fields(Answer))  # emptied before a statement once full
    assert Answer.objects.filter(question=question).count() == 7


def test_rows_sharing_values_are_the_rows_new_row_makes():
    """`new_rows`: many rows sharing some values (an answer's response) are copies of one row with each
    row's values put in, the same rows as `new_row` makes; a model whose defaults are worked out per row
    (a new key, a dict) still gets each afresh."""
    response_id = uuid.uuid4()
    answer = new_rows(Answer, response_id=response_id)
    assert answer(question_id=3, text="Parkrun") == new_row(
        Answer, response_id=response_id, question_id=3, text="Parkrun"
    )
    assert answer(question_id=4, choice_id=7) == new_row(Answer, response_id=response_id, question_id=4, choice_id=7)
    assert answer(question_id=3)[0] is response_id
    with pytest.raises(TypeError, match="no field 'colour'"):
        answer(question_id=1, colour="red")
    profile = new_rows(EqualityProfile, channel="online")
    first, second = profile(), profile()
    write_ins = [f.attname for f in EqualityProfile._meta.concrete_fields if f.attname != "id"].index("write_ins")
    assert first[write_ins] == {} and first[write_ins] is not second[write_ins]


@pytest.mark.django_db
def test_text_of_plain_text_fields_is_written_as_given_as_its_field_would_prepare_it():
    """Strings for a plain CharField or TextField are passed as they are (`_text_as_given`): only where the
    field itself gives the same string back for this database; a subclass is still prepared by its field."""
    from common import rows

    for model in (Response, Answer, EqualityProfile):
        fields = rows._insert_fields(model)
        for field, as_given in zip(fields, rows._text_as_given(model), strict=True):
            if as_given:
                text = "Parkrun, with a café \u2013 weekly"
                assert field.get_db_prep_save(text, connection) == text, (model, field.name)
            assert as_given == (type(field) in (models.CharField, models.TextField))
    assert any(rows._text_as_given(EqualityProfile)) and not all(rows._text_as_given(EqualityProfile))


def test_a_moment_is_prepared_as_each_datetime_field_would_and_few_are_kept():
    """Sending prepares its moment once for the response, its About you row and the survey's dates
    (`moment_prepared`): the same as each DateTimeField's own preparation, and only the last few kept."""
    import datetime as dt

    from django.utils import timezone

    from common import rows

    now = timezone.now()
    for field in (Response._meta.get_field("submitted_at"), Survey._meta.get_field("closes_at")):
        assert rows.moment_prepared(field, now, connection) == field.get_db_prep_save(now, connection)
    for minutes in range(40):
        moment = now + dt.timedelta(minutes=minutes)
        assert rows.moment_prepared(field, moment, connection) == field.get_db_prep_save(moment, connection)
    assert len(rows._MOMENTS) <= 16
