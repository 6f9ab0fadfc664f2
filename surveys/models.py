"""Surveys, their pages, questions and choices, and the responses residents submit.

Equality ("About you") answers are special category data. They are kept apart from the
consultation answers, in `EqualityProfile`, one row per response, and only users with the
`surveys.view_equality_data` permission may see individual rows.
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Who may see individual "About you" answers and counts below the suppression threshold. Named in
# access.roles (no role includes it) and declared on EqualityProfile below.
from access.roles import EQUALITY_PERMISSION as EQUALITY_PERMISSION
from access.roles import EQUALITY_PERMISSION_CODENAME as EQUALITY_PERMISSION_CODENAME
from surveys.equality.library import STANDARD_QUESTIONS

# The standard "About you" questions a question can be (surveys/equality/library.py). Anything else
# is refused by the model and by the database: a nonsense key would make every submission fail.
EQUALITY_KEY_CHOICES = [(q.key, q.key.replace("_", " ").capitalize()) for q in STANDARD_QUESTIONS]
ABOUT_YOU_EDITOR_ONLY = "The About you section is changed only in the About you editor."


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in the survey's public address.")
    summary = models.TextField(
        blank=True, help_text="One or two sentences on what the consultation is about, shown where it is listed."
    )
    introduction = models.TextField(blank=True)
    privacy_notice = models.TextField(
        blank=True, help_text="Who runs the consultation, what is collected, the lawful basis and retention."
    )
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The council service that runs it: its staff see and change it (access/policy.py). Without a
    # team, only administrators do.
    team = models.ForeignKey("access.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys")
    # The area (ONS code) the representativeness report compares respondents with by default.
    report_area_code = models.CharField(max_length=12, blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        default=16, help_text="Youngest age eligible to respond; reports compare over these ages."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up whenever its pages, questions, choices or grid rows change (surveys/structure_cache.py): the
    # residents' pages keep the structure in memory under it. Written only by that module.
    structure_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("download_survey_data", "Can download reports, results and responses")]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a survey never writes its structure version: an instance read before a question changed
        would put an older version back, and the residents' pages would show the structure kept under it."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "structure_version"
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """An open survey must be one residents can finish (whoever opens it: the admin, a form)."""
        super().clean()
        if self.status == self.Status.OPEN and not self._state.adding:
            from surveys.readiness import survey_problems_list  # readiness reads these models

            problems = survey_problems_list(survey=self)
            if problems:
                raise ValidationError({"status": [f"It cannot be opened yet. {p.message}" for p in problems]})

    def is_accepting_responses(self, at: dt.datetime | None = None) -> bool:
        """Open status and, where dates are set, between them."""
        now = at or timezone.now()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class Condition(models.TextChoices):
    """How a page or question depends on an earlier answer (evaluated on the server)."""

    EQUALS = "equals", "equals"
    ONE_OF = "one_of", "is one of"
    INCLUDES = "includes", "includes"
    AGE_AT_LEAST_OR_UNKNOWN = "age_at_least_or_unknown", "age is at least (or not given)"


class ConditionalDisplay(models.Model):
    """Fields shared by pages and questions that are shown only when an earlier answer matches."""

    condition_question = models.ForeignKey(
        "surveys.Question", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    condition_operator = models.CharField(max_length=30, choices=Condition.choices, blank=True)
    # Choice values (or, for the age operator, a single number as a string) the answer is compared with.
    condition_values = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def has_condition(self) -> bool:
        return self.condition_question_id is not None

    def _check_condition(self, *, about_you: bool) -> None:
        # Showing a consultation page only to, say, Muslim residents would make its answers say who is one.
        if about_you or self.condition_question_id is None:
            return
        if Question.objects.filter(pk=self.condition_question_id).exclude(equality_key="").exists():
            raise ValidationError(
                {
                    "condition_question": "Consultation questions cannot depend on About you answers: who sees them "
                    "would give those answers away."
                }
            )


class Page(ConditionalDisplay):
    class Section(models.TextChoices):
        CONSULTATION = "consultation", "Consultation questions"
        EQUALITY_INTRO = "equality_intro", "About you: introduction"
        EQUALITY = "equality", "About you"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.CONSULTATION)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="page_position_unique_in_survey"),
            models.CheckConstraint(
                condition=Q(section__in=["consultation", "equality_intro", "equality"]), name="page_section_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: page {self.position} {self.title}"

    def clean(self) -> None:
        # The section decides whether a page's answers are special category data: moving a page into
        # or out of "About you" would change how answers already being given are stored.
        super().clean()
        if self.pk is not None:
            stored = Page.objects.filter(pk=self.pk).values_list("section", flat=True).first()
            if stored is not None and stored != self.section:
                raise ValidationError({"section": ABOUT_YOU_EDITOR_ONLY})
        self._check_condition(about_you=self.section != Page.Section.CONSULTATION)


class Question(ConditionalDisplay):
    class Type(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        SINGLE_CHOICE = "single_choice", "Single choice (radios)"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice (checkboxes)"
        DROPDOWN = "dropdown", "Dropdown"
        AGREEMENT = "agreement", "Agreement scale"
        NUMBER = "number", "Number"
        DATE = "date", "Date"
        EMAIL = "email", "Email address"
        GRID = "grid", "Grid"
        DATE_OF_BIRTH = "date_of_birth", "Date of birth (or age)"
        POSTCODE = "postcode", "UK postcode"

    class DatesAllowed(models.TextChoices):
        ANY = "any", "Any date"
        PAST = "past", "Today or earlier"
        FUTURE = "future", "Today or later"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60, help_text="Stable name for exports, unique within the survey.")
    text = models.CharField(max_length=500)
    hint = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    required = models.BooleanField(default=False)
    max_length = models.PositiveIntegerField(null=True, blank=True, help_text="Character limit for text.")
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    allow_other = models.BooleanField(default=False, help_text='Offer "Other (please specify)".')
    allow_prefer_not_to_say = models.BooleanField(default=False)
    answer_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "What the answer is, in a few words, for error messages: “how often you visit a park” gives "
            "“Select how often you visit a park”; for a date, “the date of your last visit”. "
            "Worked out from the question when blank."
        ),
    )
    dates_allowed = models.CharField(
        max_length=10,
        choices=DatesAllowed.choices,
        default=DatesAllowed.ANY,
        help_text="For a date question: refuse dates in the future (a last visit) or in the past.",
    )
    # Set on "About you" questions: the standard question this is (see surveys/equality/library.py).
    # It decides where an answer is stored (apart, protected, deleted on schedule), so it is set only by
    # the About you editor (surveys.equality.services) and is read-only everywhere else.
    equality_key = models.CharField(max_length=40, blank=True, choices=EQUALITY_KEY_CHOICES)
    why_we_ask = models.TextField(blank=True)
    how_we_use = models.TextField(blank=True)

    class Meta:
        ordering = ["page__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="question_position_unique_in_page"),
            models.CheckConstraint(
                condition=Q(equality_key="") | Q(equality_key__in=[key for key, _ in EQUALITY_KEY_CHOICES]),
                name="question_equality_key_known",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        """A question on an About you page is a standard question, and only there."""
        super().clean()
        if self.page_id is None:
            return
        about_you = Page.objects.filter(pk=self.page_id, section=Page.Section.EQUALITY).exists()
        self._check_condition(about_you=about_you)
        if about_you and not self.equality_key:
            raise ValidationError(ABOUT_YOU_EDITOR_ONLY)
        if self.equality_key and not about_you:
            raise ValidationError({"equality_key": ABOUT_YOU_EDITOR_ONLY})
        if self.pk is not None:
            stored = Question.objects.filter(pk=self.pk).values_list("equality_key", flat=True).first()
            if stored is not None and stored != self.equality_key:
                raise ValidationError({"equality_key": ABOUT_YOU_EDITOR_ONLY})

    @property
    def survey_id(self) -> uuid.UUID:
        return self.page.survey_id

    @property
    def is_equality(self) -> bool:
        return bool(self.equality_key)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    value = models.SlugField(max_length=80, help_text="Stored with the answer; stable across wording changes.")
    label = models.CharField(max_length=300)
    # Optional heading the choice sits under (e.g. ethnic group's five broad groups).
    group = models.CharField(max_length=200, blank=True)
    # A write-in option ("Any other White background") offers a text box; its text is the "<key>__other" answer.
    write_in = models.BooleanField(default=False, help_text="Offer a text box to describe this answer.")

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="choice_position_unique"),
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class GridRow(models.Model):
    """A row of a grid question; every row is answered on the question's choices."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="grid_rows")
    position = models.PositiveSmallIntegerField()
    value = models.SlugField(max_length=80)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="gridrow_position_unique"),
            models.UniqueConstraint(fields=["question", "value"], name="gridrow_value_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper form"
    EVENT = "event", "Event or drop-in"
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email or letter"
    PARTNER = "partner", "Partner organisation"


class Response(models.Model):
    """One resident's submitted answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique constraint and the index below begin with it (docs/decisions/0041).
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses", db_index=False)
    reference = models.CharField(max_length=12, unique=True, help_text="Short reference shown to the resident.")
    # The wizard's journey token: submitting the same journey twice finds this row instead of adding one.
    submission_key = models.CharField(max_length=64)
    # Which copy of the journey sent it: a browser's, or one resumed from a saved link on another device.
    # Another copy sending the same journey later is told it was already sent, never "Response sent".
    journey_copy = models.CharField(max_length=32, blank=True, db_default="")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "submission_key"], name="response_submitted_once"),
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def team_id(self) -> int | None:
        """The team that owns the response's survey (for the access policy)."""
        return self.survey.team_id


class Answer(models.Model):
    """One answer to a consultation question. Multiple choice and grids give one row per selection/row."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # No index of its own: (question, choice) below begins with it (docs/decisions/0041).
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", db_index=False)
    grid_row = models.ForeignKey(GridRow, null=True, blank=True, on_delete=models.PROTECT)
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField(blank=True, help_text='Free text, or the "Other (please specify)" text.')
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"{self.response}: {self.question.key}"


class EqualityAnswer(models.TextChoices):
    """Non-option values an equality characteristic can take. Null means the question was not asked."""

    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"
    SKIPPED = "skipped", "Skipped"


class EqualityAnswers(models.Model):
    """One person's "About you" answers, one column per characteristic: a respondent's (EqualityProfile) or
    an activity attendee's (plans.AttendeeProfile), stored, counted and deleted alike.

    Each characteristic column holds a standard option value (surveys/equality/library.py),
    "prefer_not_to_say", "skipped" (asked, not answered), or null (not asked: not in the survey, routed
    past, or the whole section skipped).
    """

    # Single year of age at submission: from date of birth (never stored) or the age given.
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_status = models.CharField(max_length=20, blank=True, help_text="answered, prefer_not_to_say or skipped")
    sex = models.CharField(max_length=40, null=True, blank=True)
    gender_identity = models.CharField(max_length=40, null=True, blank=True)
    sexual_orientation = models.CharField(max_length=40, null=True, blank=True)
    ethnic_group = models.CharField(max_length=40, null=True, blank=True)
    long_term_condition = models.CharField(max_length=40, null=True, blank=True)
    disability = models.CharField(max_length=40, null=True, blank=True)
    religion = models.CharField(max_length=40, null=True, blank=True)
    unpaid_care = models.CharField(max_length=40, null=True, blank=True)
    main_language = models.CharField(max_length=40, null=True, blank=True)
    english_proficiency = models.CharField(max_length=40, null=True, blank=True)
    marital_status = models.CharField(max_length=40, null=True, blank=True)
    pregnancy = models.CharField(max_length=40, null=True, blank=True)
    area = models.CharField(max_length=40, null=True, blank=True, help_text="ONS code of the ward.")
    # Write-in answers ("Any other ethnic group: ..."), by characteristic.
    write_ins = models.JSONField(default=dict, blank=True)
    library_version = models.CharField(max_length=20)

    class Meta:
        abstract = True


class EqualityProfile(EqualityAnswers):
    """The "About you" answers of one response: a snapshot (EqualityAnswers' columns).

    Null in a column also means the resident skipped the whole section, recorded in `section_skipped`.
    Survey, channel and submission time are copied from the response so the representativeness
    report can count with one GROUP BY over this table.
    """

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="equality_profile")
    # No index of its own: both indexes below begin with it (docs/decisions/0041).
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField()
    section_skipped = models.BooleanField(default=False)

    class Meta:
        permissions = [(EQUALITY_PERMISSION_CODENAME, "Can view individual equality answers")]
        # (survey, id): the published snapshot's and the kept counts' "profiles up to one id", read from the index.
        indexes = [models.Index(fields=["survey", "submitted_at"]), models.Index(fields=["survey", "id"])]

    def __str__(self) -> str:
        return f"About you: {self.response}"


class EqualityAnswerCounts(models.Model):
    """Consultation answers, and the respondents themselves, counted by About you characteristics and kept
    for the equality analysis, the report and the raking (surveys.equality.kept_counts; docs/decisions/0032,
    0039 for the answers by raking cell in `EqualityAnswerCellCounts`, 0042 for the respondents).

    Special category data like the profiles they are counted from: stored with them, read only through
    surveys.equality.selectors, deleted with the survey, and by every erasure, deletion and retention purge
    of its responses. Counts the survey's profiles up to `through_profile_id`; `profiles` and `fingerprint`
    say which, so that a profile gone (or committed late) since is noticed and everything counted again.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    # What was counted: the groupings of characteristics, age bands and multiple-choice questions (a hash).
    key = models.CharField(max_length=64)
    through_profile_id = models.BigIntegerField(default=0)
    profiles = models.PositiveIntegerField(default=0)
    fingerprint = models.BigIntegerField(default=0)
    # The counting statement's rows (lists of values, the count last): chosen answers, and who answered.
    chosen = models.JSONField(default=list)
    answering = models.JSONField(default=list)
    # Respondents counted by characteristics (a GROUP BY of the profiles alone: the report's counts, the
    # raking's cells), each row a group's values and how many (decision 42).
    respondents = models.JSONField(default=list)
    # Counts kept by raking cell (the weighted analysis): what each coordinate of the cells' counts is (the
    # grouping, its columns' values and the answer), in the order they were first counted.
    coordinates = models.JSONField(default=list)
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="equality_counts_once")]

    def __str__(self) -> str:
        return f"Equality counts of {self.survey_id} through {self.through_profile_id}"


class EqualityAnswerCellCounts(models.Model):
    """One raking cell's counts of an `EqualityAnswerCounts` entry kept by cell (the weighted equality
    analysis; docs/decisions/0039-weighted-equality-analysis-by-raking-cell.md): a row of its own per cell,
    so that no one value holds the whole cross-classification, compact so that a reading streams them.
    Deleted with its entry, so by everything that deletes kept counts."""

    entry = models.ForeignKey(EqualityAnswerCounts, on_delete=models.CASCADE, related_name="cells")
    # The raking columns' values (a JSON list): the cell.
    cell = models.TextField()
    # (coordinate, count) pairs, little-endian 32-bit integers, by coordinate (`entry.coordinates`).
    counts = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "cell"], name="equality_cell_counts_once")]

    def __str__(self) -> str:
        return f"Equality counts of one cell of {self.entry_id}"


class ResidenceArea(models.Model):
    """An area residents can choose as where they live (usually the council's wards)."""

    code = models.CharField(max_length=12, unique=True, help_text="ONS geography code, e.g. E05000819.")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SavedJourney(models.Model):
    """A journey saved part-way (surveys/saved_journeys.py). The resume token is only ever stored hashed."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="saved_journeys")
    token_hash = models.CharField(max_length=64, unique=True)
    reference = models.CharField(max_length=12, help_text="Reference the resident can quote.")
    data = models.JSONField(help_text="The wizard's stored step data: an age, never a date of birth.")
    current_step = models.CharField(max_length=40, blank=True)
    saved_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()
    # Wrong references entered to bring back the About you answers; too many deletes them.
    reference_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Saved journey {self.reference}"


def equality_characteristic_fields() -> list[str]:
    """The characteristic columns of EqualityProfile, in a stable order (age is separate)."""
    return [
        "sex",
        "gender_identity",
        "sexual_orientation",
        "ethnic_group",
        "long_term_condition",
        "disability",
        "religion",
        "unpaid_care",
        "main_language",
        "english_proficiency",
        "marital_status",
        "pregnancy",
        "area",
    ]
