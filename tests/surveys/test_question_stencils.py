"""A question's markup is rendered once per variant and kept with the survey's structure; each page fills in
the resident's own values and errors (common/stencils.py, docs/decisions/0036).

What a resident typed must come back escaped, only on their own page, and exactly as a fresh rendering
would show it; a change an officer makes is seen on the next page."""

import pytest
from django.test import Client

from surveys.models import Question, Survey
from surveys.structure_cache import survey_structure_cached
from surveys.templatetags import survey_forms
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident, text
from tests.surveys.test_page_markup import main_content

pytestmark = pytest.mark.django_db

ATTACK = "\"'><script>alert('x')</script>&amp;"
ESCAPED = "&quot;&#x27;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;amp;"


def forget_stencils(survey: Survey) -> None:
    for q in survey_structure_cached(survey=survey).questions:
        q.stencils.clear()


def another_resident(survey: Survey) -> Resident:
    other = Resident(Client(), survey)
    other.start()
    return other


def test_what_a_resident_typed_comes_back_escaped_on_their_page_alone(resident):
    resident.answer_all({"1": WEEKLY_VISITOR_PAGES["1"]})
    page_3 = {**WEEKLY_VISITOR_PAGES["3"], "activities__other": ATTACK, "main_park": ATTACK}
    refused = resident.answer("3", page_3)  # not a park on the list: shown again with an error
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "<script>alert" not in html
    assert f'value="{ESCAPED}"' in html  # the Other box keeps what was typed
    assert "Select the park you visit most from the options shown" in html

    other = another_resident(resident.survey)
    other.answer_all({"1": WEEKLY_VISITOR_PAGES["1"]})
    theirs = other.client.get(other.url("3")).content.decode()
    assert "alert" not in theirs
    assert "govuk-error-message" not in theirs
    assert " checked" not in theirs and " selected" not in theirs


def test_a_kept_stencil_gives_the_markup_a_fresh_rendering_gives(resident):
    resident.answer_all({"1": WEEKLY_VISITOR_PAGES["1"]})
    resident.answer("3", {**WEEKLY_VISITOR_PAGES["3"], "activities__other": ATTACK})
    resident.answer("3", {**WEEKLY_VISITOR_PAGES["3"], "activities__other": ATTACK, "main_park": ATTACK})
    for data in ({}, {"main_park": ATTACK, "activities__other": ATTACK}, {"activities__other": ATTACK}):
        sent = {**WEEKLY_VISITOR_PAGES["3"], **data}
        forget_stencils(resident.survey)
        fresh = resident.answer("3", sent)
        kept = resident.answer("3", sent)
        assert fresh.status_code == kept.status_code
        if fresh.status_code == 200:
            assert main_content(kept) == main_content(fresh)
    forget_stencils(resident.survey)
    fresh = main_content(resident.client.get(resident.url("3")))
    assert main_content(resident.client.get(resident.url("3"))) == fresh
    assert ESCAPED in fresh


def test_prefer_not_to_say_is_ticked_for_the_resident_who_ticked_it(resident):
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.answer("9")  # answer the About you questions
    # Both a date of birth and "Prefer not to say": refused, shown again as the resident left it.
    refused = text(resident.answer("10", {"about_you_date_of_birth__age": "40", "about_you_date_of_birth__pnts": "on"}))
    assert 'name="10-about_you_date_of_birth__pnts" type="checkbox" value="on" checked>' in refused
    assert 'value="40"' in refused

    other = another_resident(resident.survey)
    other.answer_all(WEEKLY_VISITOR_PAGES)
    other.answer("9")
    theirs = text(other.client.get(other.url("10")))
    assert 'name="10-about_you_date_of_birth__pnts" type="checkbox" value="on">' in theirs
    assert 'value="40"' not in theirs


def test_an_officers_change_to_a_question_is_on_the_next_page(resident):
    resident.answer_all({"1": WEEKLY_VISITOR_PAGES["1"]})
    resident.client.get(resident.url("3"))
    question = Question.objects.get(page__survey=resident.survey, key="activities")
    question.hint = "Think of the last month."
    question.save()
    assert "Think of the last month." in text(resident.client.get(resident.url("3")))


def test_a_new_survey_title_is_in_the_caption_at_once(resident):
    # A one-question page whose question says what its title says is captioned with the survey's title,
    # which is the survey's own row (read on every request), not its structure.
    question = Question.objects.get(page__survey=resident.survey, key="email")
    question.text = question.page.title
    question.save()
    resident.answer_all({step: WEEKLY_VISITOR_PAGES[step] for step in ("1", "3", "4", "5", "6")})
    caption = '<span class="govuk-caption-l">{}</span>'
    assert caption.format(resident.survey.title) in text(resident.client.get(resident.url("7")))
    Survey.objects.filter(pk=resident.survey.pk).update(title="Parks for everyone")
    assert caption.format("Parks for everyone") in text(resident.client.get(resident.url("7")))


def test_a_variant_with_more_values_but_the_same_facts_is_rendered_afresh(resident, monkeypatch):
    """Were a field's error shown without being recorded as a fact, the page with the error would have one
    value more than the page without it and the same facts: it must get its own stencil, and show the error,
    rather than the first page's stencil filled with its values."""
    original = survey_forms.field_context

    def error_without_a_fact(form, name, *, show_errors, slots):
        field, value = original(form, name, show_errors=False, slots=slots)
        errors = list(form[name].errors) if show_errors and form.is_bound else []
        if errors:
            field["error"] = slots.text(errors[0])
        return field, value

    monkeypatch.setattr(survey_forms, "field_context", error_without_a_fact)
    resident.answer_all({"1": WEEKLY_VISITOR_PAGES["1"]})
    forget_stencils(resident.survey)
    assert "govuk-error-message" not in main_content(resident.client.get(resident.url("3")))
    refused = {**WEEKLY_VISITOR_PAGES["3"], "main_park": "Nowhere Park"}
    after_the_blank_page = main_content(resident.answer("3", refused))
    forget_stencils(resident.survey)
    fresh = main_content(resident.answer("3", refused))
    assert "govuk-error-message" in fresh
    # Not the blank page's stencil with the error message filled in where an option's " selected" goes.
    assert after_the_blank_page == fresh
