"""Django admin for surveys: a fallback for officers and developers; the officer pages are the main tool.

Equality answers are not shown here: they are special category data, kept to the officer pages that
check the `view_equality_data` permission.
"""

from django.contrib import admin
from django.http import HttpRequest

from surveys.models import Answer, Choice, GridRow, Page, Question, ResidenceArea, Response, SavedJourney, Survey


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ["position", "title", "section", "condition_question", "condition_operator", "condition_values"]
    raw_id_fields = ["condition_question"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "opens_at", "closes_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PageInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    raw_id_fields = ["condition_question"]
    show_change_link = True


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "survey", "position", "section"]
    list_filter = ["section", "survey"]
    raw_id_fields = ["condition_question"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


class GridRowInline(admin.TabularInline):
    model = GridRow
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "text", "type", "required", "page"]
    list_filter = ["type", "page__survey"]
    search_fields = ["key", "text"]
    raw_id_fields = ["page", "condition_question"]
    inlines = [ChoiceInline, GridRowInline]


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
