"""Census baselines: the areas a council compares its respondents with, and their Census 2021 counts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from representativeness.census.choices import AreaLevel, CountLevel, PopulationBase, Sex, SourceFormat
from representativeness.census.tables import CENSUS_TABLES, CensusTable

TABLE_CHOICES = [(code, f"{code} {table.title}") for code, table in CENSUS_TABLES.items()]


class Area(models.Model):
    """A geography with census counts: a local authority, a ward, or a custom area summed from others."""

    code = models.CharField(
        max_length=20, unique=True, help_text="ONS GSS code (E08000007), or the council's own code for a custom area."
    )
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=AreaLevel.choices)
    # A custom area's baseline is the sum of its components' baselines, worked out when it is read.
    components = models.ManyToManyField("self", symmetrical=False, related_name="composites", blank=True)
    # The council a ward lies in: a survey's ward question offers its council's wards.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="For a ward, the council (local authority) it lies in.",
    )

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="representativeness_area_code_not_blank"),
            models.CheckConstraint(condition=Q(level__in=AreaLevel.values), name="representativeness_area_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_composite(self) -> bool:
        return self.level == AreaLevel.CUSTOM


class Baseline(models.Model):
    """One census table for one area, as imported from one file. Re-importing replaces it in place."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="baselines")
    table = models.CharField(max_length=8, choices=TABLE_CHOICES)
    population_base = models.CharField(max_length=8, choices=PopulationBase.choices)
    source_file_name = models.CharField(max_length=255)
    source_format = models.CharField(max_length=20, choices=SourceFormat.choices)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when imported from the command line.",
    )

    class Meta:
        ordering = ["area__name", "table"]
        constraints = [
            models.UniqueConstraint(fields=["area", "table"], name="representativeness_baseline_one_per_area_table"),
            models.CheckConstraint(
                condition=Q(table__in=list(CENSUS_TABLES)), name="representativeness_baseline_table_known"
            ),
            models.CheckConstraint(
                condition=Q(population_base__in=PopulationBase.values),
                name="representativeness_baseline_population_base_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.table} for {self.area}"

    @property
    def census_table(self) -> CensusTable:
        return CENSUS_TABLES[self.table]

    @property
    def characteristic(self) -> str:
        return self.census_table.characteristic


class BaselineCount(models.Model):
    """One count of a baseline: a detailed category, a broad group (derived from the detailed counts) or the
    total, for all persons or (TS009 only) for one sex. Age categories carry their age range so that any
    survey's age bands can be summed in the database."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="counts")
    level = models.CharField(max_length=8, choices=CountLevel.choices)
    category = models.CharField(max_length=200, blank=True, help_text="Canonical ONS label; blank for the total.")
    sex = models.CharField(max_length=6, choices=Sex.choices, blank=True, default=Sex.ALL)
    position = models.PositiveSmallIntegerField(help_text="Canonical ONS order within the level.")
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for 'and over'.")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["baseline", "level", "sex", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "level", "sex", "category"], name="representativeness_count_one_per_category"
            ),
            models.CheckConstraint(
                condition=Q(level__in=CountLevel.values), name="representativeness_count_level_valid"
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="representativeness_count_sex_valid"),
            models.CheckConstraint(
                condition=Q(level=CountLevel.TOTAL, category="") | (~Q(level=CountLevel.TOTAL) & ~Q(category="")),
                name="representativeness_count_total_has_no_category",
            ),
            models.CheckConstraint(
                condition=Q(age_max__isnull=True) | Q(age_min__lte=models.F("age_max")),
                name="representativeness_count_age_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["baseline", "level", "sex"], name="repr_count_lookup")]

    def __str__(self) -> str:
        return f"{self.category or 'Total'}: {self.count}"


class PublishedSnapshot(models.Model):
    """The point up to which a survey's "About you" answers are published to readers without the
    equality-data permission (representativeness.disclosure.snapshot): the profiles with an id up to
    `through_profile_id`. Moved on only after enough responses have arrived. Holds no answers."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE, related_name="published_snapshot")
    through_profile_id = models.BigIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0, help_text="Profiles published at the last refresh.")
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.responses} responses published"


class GroupDataset(models.Model):
    """A group's equality data uploaded by a service (its users, a panel, a forum): only the counts per
    census category are kept, never a row about a person. Deleted EQUALITY_RETENTION_DAYS after upload
    (purge_equality_answers)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey("access.Team", on_delete=models.CASCADE, related_name="group_datasets")
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=255)
    minimum_age = models.PositiveSmallIntegerField(help_text="The youngest age compared.")
    people = models.PositiveIntegerField()
    counts = models.JSONField(help_text="representativeness.populations.datasets.counts_as_json")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
