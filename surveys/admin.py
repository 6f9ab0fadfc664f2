"""Django admin for surveys: a fallback for officers and developers; the officer pages are the main tool.

Equality answers are not shown here: they are special category data, kept to the officer pages that
check the `view_equality_data` permission. Nor can the admin switch their protection off: a page's
section and a question's equality key are read-only for everyone, and the "About you" pages, their
questions and choices can be looked at here but changed only in the About you editor
(/officers/surveys/<id>/about-you/), which keeps the standard questions whole.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from surveys.equality.kept_counts import kept_counts_forget
from surveys.models import Answer, Choice, GridRow, Page, Question, ResidenceArea, Response, SavedJourney, Survey
from surveys.readiness import SurveyProblem, survey_problems_list


class _WouldStopResidents(Exception):
    def __init__(self, problems: list[SurveyProblem]) -> None:
        self.problems = problems


class OpenSurveyGuard(admin.ModelAdmin):
    """Refuse any change that would leave an open survey one residents cannot finish.

    The admin saves an object and its inlines in one transaction; once they are saved the survey is
    checked as residents would meet it (surveys/readiness.py), and on a problem the exception leaves
    the transaction, rolling everything back, and the problems are shown."""

    def survey_of(self, obj: Any) -> Survey:
        raise NotImplementedError

    def _check(self, survey_id: Any) -> None:
        survey = Survey.objects.filter(pk=survey_id).first()
        if survey is not None and survey.status == Survey.Status.OPEN:
            problems = survey_problems_list(survey=survey)
            if problems:
                raise _WouldStopResidents(problems)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self._check(self.survey_of(form.instance).pk)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        survey_id = self.survey_of(obj).pk
        super().delete_model(request, obj)
        self._check(survey_id)

    def _refused(self, request: HttpRequest, refused: _WouldStopResidents) -> HttpResponse:
        messages.error(request, "Nothing was saved: the survey is open and this would stop residents finishing it.")
        for problem in refused.problems:
            messages.error(request, problem.message)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except _WouldStopResidents as refused:
            return self._refused(request, refused)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().delete_view(request, *args, **kwargs)
        except _WouldStopResidents as refused:
            return self._refused(request, refused)


def is_about_you(obj: Page | Question | None) -> bool:
    """Whether an admin object belongs to the "About you" section (and so is the About you editor's)."""
    if isinstance(obj, Question):
        return obj.is_equality or is_about_you(obj.page)
    return isinstance(obj, Page) and obj.section != Page.Section.CONSULTATION


class AboutYouReadOnly:
    """For an admin, or an inline whose parent is the object: no changes to anything in "About you"."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_about_you(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_about_you(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            return not is_about_you(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]
        return super().has_add_permission(request)  # type: ignore[misc]


class SurveyPageForm(forms.ModelForm):
    """A row of the survey's page list: "About you" pages are shown but cannot be changed here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locked = is_about_you(self.instance) if self.instance.pk else False
        for name, field in self.fields.items():
            # Disabled fields keep their stored value whatever is posted.
            if locked or name == "section":
                field.disabled = True


class SurveyPageFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.instance.pk and is_about_you(form.instance) for form in self.deleted_forms):
            raise forms.ValidationError("About you pages are removed in the About you editor.")


class PageInline(admin.TabularInline):
    model = Page
    form = SurveyPageForm
    formset = SurveyPageFormSet
    extra = 0
    show_change_link = True
    fields = ["position", "title", "section", "condition_question", "condition_operator", "condition_values"]
    raw_id_fields = ["condition_question"]


@admin.register(Survey)
class SurveyAdmin(OpenSurveyGuard):
    list_display = ["title", "slug", "status", "opens_at", "closes_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PageInline]

    def survey_of(self, obj: Survey) -> Survey:
        return obj


class QuestionInline(AboutYouReadOnly, admin.StackedInline):
    model = Question
    extra = 0
    raw_id_fields = ["condition_question"]
    readonly_fields = ["equality_key"]
    show_change_link = True


@admin.register(Page)
class PageAdmin(AboutYouReadOnly, OpenSurveyGuard):
    list_display = ["__str__", "survey", "position", "section"]
    list_filter = ["section", "survey"]
    raw_id_fields = ["condition_question"]
    readonly_fields = ["section"]
    inlines = [QuestionInline]

    def survey_of(self, obj: Page) -> Survey:
        return obj.survey


class ChoiceInline(AboutYouReadOnly, admin.TabularInline):
    model = Choice
    extra = 0


class GridRowInline(AboutYouReadOnly, admin.TabularInline):
    model = GridRow
    extra = 0


@admin.register(Question)
class QuestionAdmin(AboutYouReadOnly, OpenSurveyGuard):
    list_display = ["key", "text", "type", "required", "page"]
    list_filter = ["type", "page__survey"]
    search_fields = ["key", "text"]
    raw_id_fields = ["page", "condition_question"]
    readonly_fields = ["equality_key"]
    inlines = [ChoiceInline, GridRowInline]

    def survey_of(self, obj: Question) -> Survey:
        return obj.page.survey


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["question", "grid_row", "choice", "text", "number", "date"]

    def has_add_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["reference", "survey", "channel", "submitted_at"]
    list_filter = ["survey", "channel"]
    search_fields = ["reference"]
    readonly_fields = ["reference", "submission_key", "survey", "channel", "submitted_at"]
    inlines = [AnswerInline]

    # The equality analysis's kept counts were counted from these answers too: deleted with them.
    def delete_model(self, request: HttpRequest, obj: Response) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            kept_counts_forget(survey_ids=[obj.survey_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Response]) -> None:
        with transaction.atomic():
            survey_ids = set(queryset.values_list("survey_id", flat=True))
            super().delete_queryset(request, queryset)
            kept_counts_forget(survey_ids=survey_ids)


@admin.register(SavedJourney)
class SavedJourneyAdmin(admin.ModelAdmin):
    list_display = ["reference", "survey", "saved_at", "expires_at"]
    search_fields = ["reference"]
    # The answers in progress and the token hash are not for reading.
    fields = ["reference", "survey", "current_step", "saved_at", "expires_at"]
    readonly_fields = fields


@admin.register(ResidenceArea)
class ResidenceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
