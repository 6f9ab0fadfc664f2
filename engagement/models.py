"""What residents see around a survey, and how responses arrive: the consultation hub.

- `Topic`, `Listing`: how a consultation is found on the hub (topic, wards, the return address).
- `Document`, `Event`: what to read, where to talk to the council in person.
- `ResponseSource`: how a response came in that was not typed in by the resident online (paper,
  phone, an event, a partner organisation), who keyed it in, and the paper form's reference.
- `FormatRequest`: a resident asking for paper, large print, Easy Read, another language, BSL or
  help by phone; its contact details are deleted when the consultation closes.
- `Outcome`, `OutcomeSubscriber`: "We asked, you said, we did", and the email addresses of residents
  who asked to hear it, kept apart from their answers and deleted once the email is sent.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Listing(models.Model):
    """A consultation's place on the hub: its topic and wards, and where paper forms go."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE, related_name="listing")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="listings")
    areas = models.ManyToManyField(
        "surveys.ResidenceArea", blank=True, related_name="listings", help_text="Leave empty for the whole area."
    )
    return_address = models.TextField(
        blank=True, help_text="Where residents send a paper form, printed on it. One line per line of the address."
    )
    contact_phone = models.CharField(max_length=40, blank=True, help_text="For help by phone.")

    def __str__(self) -> str:
        return f"Listing: {self.survey}"

    @property
    def team_id(self) -> int | None:
        return self.survey.team_id


class Document(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        ODT = "odt", "OpenDocument text"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # The kind is read from the file's content when it is uploaded, never from its name.
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="documents/%Y/%m/")
    size = models.PositiveBigIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "position", "uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def team_id(self) -> int | None:
        return self.survey.team_id


class Event(models.Model):
    """A drop-in, meeting or stall where residents can talk to the council and respond."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.TextField(help_text="The venue and its address.")
    accessibility = models.TextField(
        blank=True, help_text="Step-free access, hearing loop, accessible toilets, parking, BSL interpretation..."
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.starts_at:%d %B %Y}"


class ResponseSource(models.Model):
    """How a keyed-in response arrived: which event or partner, who keyed it in, the paper reference."""

    response = models.OneToOneField("surveys.Response", on_delete=models.CASCADE, related_name="source")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses")
    partner = models.CharField(max_length=200, blank=True, help_text="The partner organisation that collected it.")
    # The number written or printed on a paper form: the same form is never entered twice.
    paper_reference = models.CharField(max_length=40, blank=True)
    keyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    keyed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="paper_reference_entered_once",
            )
        ]

    def __str__(self) -> str:
        return f"Source of {self.response}"


class FormatRequest(models.Model):
    class Format(models.TextChoices):
        PAPER = "paper", "A paper copy"
        LARGE_PRINT = "large_print", "Large print"
        EASY_READ = "easy_read", "Easy Read"
        LANGUAGE = "language", "Another language"
        BSL = "bsl", "British Sign Language (BSL)"
        PHONE = "phone", "Help by phone"

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="format_requests")
    formats = models.JSONField(help_text="Format values, from FormatRequest.Format.")
    language = models.CharField(max_length=100, blank=True)
    # Contact details: deleted when the consultation closes (engagement.hub.services.format_contacts_delete).
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    details = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Format request {self.pk}"

    @property
    def team_id(self) -> int | None:
        return self.survey.team_id

    def format_labels(self) -> list[str]:
        labels = dict(self.Format.choices)
        return [labels.get(value, value) for value in self.formats]


class Outcome(models.Model):
    """We asked, you said, we did: published after the consultation closes."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE, related_name="outcome")
    we_asked = models.TextField()
    you_said = models.TextField()
    we_did = models.TextField()
    decided_on = models.DateField(help_text="When the council made its decision.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Outcome of {self.survey}"

    @property
    def team_id(self) -> int | None:
        return self.survey.team_id


class OutcomeSubscriber(models.Model):
    """An email address to tell when the outcome is published. Never linked to a response."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    subscribed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "email"], name="outcome_subscriber_once")]

    def __str__(self) -> str:
        return "Outcome subscriber"
