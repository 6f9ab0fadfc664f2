"""Admin for census areas and baselines. Imports go through import_census or the upload page, which check
the files; here counts are read-only, and custom areas (sums of wards) can be defined."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import ManyToManyField, QuerySet
from django.forms import ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest

from representativeness.census.choices import AreaLevel
from representativeness.models import Area, Baseline, BaselineCount


class AreaAdminForm(ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "components"]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        components = cleaned.get("components")
        if cleaned.get("level") == AreaLevel.CUSTOM:
            if not components or len(components) < 2:
                raise ValidationError("A custom area is made of at least two areas.")
            if any(c.level == AreaLevel.CUSTOM for c in components):
                raise ValidationError("A custom area is made of wards or other imported areas, not of custom areas.")
        elif components:
            raise ValidationError("Only a custom area is made of other areas.")
        return cleaned


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name", "code", "level"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    filter_horizontal = ["components"]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        # Only real areas can be components: nesting custom areas would let a ward count twice.
        if db_field.name == "components":
            kwargs["queryset"] = Area.objects.exclude(level=AreaLevel.CUSTOM)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BaselineCountInline(admin.TabularInline):
    model = BaselineCount
    fields = ["level", "sex", "category", "count"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["area", "table", "population_base", "source_file_name", "source_format", "imported_at"]
    list_filter = ["table", "area__level", "source_format"]
    search_fields = ["area__name", "area__code", "source_file_name"]
    readonly_fields = [
        "area",
        "table",
        "population_base",
        "source_file_name",
        "source_format",
        "imported_at",
        "imported_by",
    ]
    inlines = [BaselineCountInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Baseline]:
        return super().get_queryset(request).select_related("area", "imported_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Baselines come from checked files only (import_census or the upload page).
        return False
