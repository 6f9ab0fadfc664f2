"""We asked, you said, we did: published after closing, on the consultation's page and the hub;
residents who left an email address are told once, and their addresses deleted."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditAction, AuditEntry
from engagement.models import Outcome, OutcomeSubscriber, ResponseSource
from engagement.outcomes.selectors import closed_question_results
from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from representativeness.services.baselines import census_shipped_load
from surveys.demo import demo_consultation_create
from surveys.equality.services import equality_section_add
from surveys.models import Answer, Page, Response, Survey
from surveys.synthetic import responses_generate
from tests.factories import ChoiceFactory, GridRowFactory, QuestionFactory, SurveyFactory, TeamFactory, staff_member

pytestmark = pytest.mark.django_db

OUTCOME = {
    "we_asked": "Where should the new play area go?",
    "you_said": "Most of you chose Walton Park.",
    "we_did": "We will build the play area in Walton Park next spring.",
    "decided_on_0": "14",
    "decided_on_1": "1",
    "decided_on_2": "2026",
}


@pytest.fixture
def survey():
    survey = SurveyFactory(team=TeamFactory(name="Parks"), title="New play area", slug="play-area")
    page = Page.objects.create(survey=survey, position=1, title="Where")
    where = QuestionFactory(page=page, position=1, key="where", text="Where should it go?", type="single_choice")
    walton = ChoiceFactory(question=where, position=1, value="walton", label="Walton Park")
    longford = ChoiceFactory(question=where, position=2, value="longford", label="Longford Park")
    wants = QuestionFactory(page=page, position=2, key="wants", text="What should it have?", type="multiple_choice")
    swings = ChoiceFactory(question=wants, position=1, value="swings", label="Swings")
    slide = ChoiceFactory(question=wants, position=2, value="slide", label="A slide")
    # 3 people: Walton, Walton, Longford; swings twice, a slide once; one did not answer "what".
    for i, (place, things) in enumerate([(walton, [swings, slide]), (walton, [swings]), (longford, [])]):
        response = Response.objects.create(survey=survey, reference=f"PLAY-000{i}", submission_key=f"k{i}")
        Answer.objects.create(response=response, question=where, choice=place)
        for thing in things:
            Answer.objects.create(response=response, question=wants, choice=thing)
    return survey


def close(survey):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED, closes_at=timezone.now())
    survey.refresh_from_db()


def test_the_closed_questions_are_counted(survey):
    where, wants = closed_question_results(survey=survey, audience=Audience.EXACT)
    assert [(r.label, r.count) for r in where.rows] == [("Walton Park", 2), ("Longford Park", 1)]
    assert where.answered == 3 and where.headline == "Walton Park: 67% of the 3 people who answered."
    assert [(r.label, r.count, r.share) for r in wants.rows] == [("Swings", 2, 1.0), ("A slide", 1, 0.5)]
    assert wants.answered == 2 and wants.several
    # The public's figures: three people is too few to show how any of them answered.
    where, wants = closed_question_results(survey=survey)
    assert [(r.label, r.count, r.share) for r in where.rows] == [
        ("Walton Park", None, None),
        ("Longford Park", None, None),
    ]
    assert where.headline == "3 people answered. Answers chosen by few people are hidden."


def test_residents_leave_an_email_address_apart_from_their_answers(client, survey):
    page = client.get(f"/consultations/{survey.slug}/hear-the-outcome/").content.decode()
    assert "Email me the outcome" in page
    response = client.post(f"/consultations/{survey.slug}/hear-the-outcome/", {"email": "Ann@Example.com"})
    assert "We will email you" in response.content.decode()
    client.post(f"/consultations/{survey.slug}/hear-the-outcome/", {"email": "ann@example.com"})
    assert list(OutcomeSubscriber.objects.values_list("email", flat=True)) == ["ann@example.com"]
    assert not [f for f in OutcomeSubscriber._meta.get_fields() if f.name == "response"]
    bad = client.post(f"/consultations/{survey.slug}/hear-the-outcome/", {"email": "nope"}).content.decode()
    assert "Enter an email address in the correct format" in bad and OutcomeSubscriber.objects.count() == 1


def test_an_outcome_cannot_be_published_before_closing(client, survey):
    client.force_login(staff_member("officer"))
    page = client.post(f"/officers/surveys/{survey.pk}/outcome/", OUTCOME).content.decode()
    assert "You can publish the outcome once the consultation has closed." in page
    assert not Outcome.objects.exists()
    assert client.get(f"/consultations/{survey.slug}/outcome/").status_code == 404


def test_a_decision_date_in_the_future_is_refused_and_nobody_is_emailed(client, survey):
    client.post(f"/consultations/{survey.slug}/hear-the-outcome/", {"email": "ann@example.com"})
    close(survey)
    client.force_login(staff_member("officer"))
    future = timezone.localdate() + dt.timedelta(days=1)
    posted = {**OUTCOME, "decided_on_0": future.day, "decided_on_1": future.month, "decided_on_2": future.year}
    for data in (posted, {**posted, "confirm": "yes"}):
        page = client.post(f"/officers/surveys/{survey.pk}/outcome/", data).content.decode()
        assert "Date of the decision must be today or in the past" in page
        assert "There is a problem" in page
    assert not mail.outbox and not Outcome.objects.exists()
    # The hint's example is a date the field accepts, given once.
    page = client.get(f"/officers/surveys/{survey.pk}/outcome/").content.decode()
    example = timezone.localdate() - dt.timedelta(days=7)
    assert page.count("For example,") == 1
    assert f"For example, {example.day} {example.month} {example.year}" in page


def test_a_correction_or_an_outcome_nobody_asked_to_hear_is_saved_without_a_check(client, survey):
    close(survey)
    client.force_login(staff_member("officer"))
    assert client.post(f"/officers/surveys/{survey.pk}/outcome/", OUTCOME).status_code == 302
    assert Outcome.objects.get().published_at is not None


def test_publishing_shows_the_outcome_and_emails_those_who_asked_once(client, survey):
    for email in ["ann@example.com", "bob@example.com"]:
        client.post(f"/consultations/{survey.slug}/hear-the-outcome/", {"email": email})
    other = SurveyFactory(title="Another")
    client.post(f"/consultations/{other.slug}/hear-the-outcome/", {"email": "carol@example.com"})
    close(survey)
    client.force_login(staff_member("officer"))
    # Emails cannot be unsent: the officer is asked to check first, and nothing is published or sent yet.
    check = client.post(f"/officers/surveys/{survey.pk}/outcome/", OUTCOME).content.decode()
    assert "This will email 2 residents who asked to hear the outcome; this cannot be undone." in check, (
        "publishing asks for confirmation before emailing"
    )
    assert not mail.outbox and not Outcome.objects.exists()
    assert 'name="decided_on_2" value="2026"' in check and 'name="confirm"' in check
    back = client.post(f"/officers/surveys/{survey.pk}/outcome/", {**OUTCOME, "change": "yes"}).content.decode()
    assert "Publish the outcome" in back and "Where should the new play area go?" in back and not mail.outbox
    response = client.post(f"/officers/surveys/{survey.pk}/outcome/", {**OUTCOME, "confirm": "yes"})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "bob@example.com"]
    message = mail.outbox[0]
    assert message.subject == "What we decided: New play area"
    assert f"http://testserver/consultations/{survey.slug}/outcome/" in message.body
    assert list(OutcomeSubscriber.objects.values_list("email", flat=True)) == ["carol@example.com"]
    assert AuditEntry.objects.filter(action=AuditAction.OUTCOME_PUBLISHED).count() == 1

    # A correction emails nobody again.
    client.post(f"/officers/surveys/{survey.pk}/outcome/", {**OUTCOME, "we_did": "Walton Park, in March."})
    assert len(mail.outbox) == 2
    client.logout()
    page = client.get(f"/consultations/{survey.slug}/outcome/").content.decode()
    for text in [
        "We asked",
        "Where should the new play area go?",
        "Most of you chose Walton Park.",
        "Walton Park, in March.",
        "14 January 2026",
    ]:
        assert text in page
    assert "3 people answered. Answers chosen by few people are hidden." in page and "<svg" in page
    # Answers have no census to compare with: their charts say nothing of one.
    assert "Census 2021" not in page and "census not available" not in page and "People who answered" in page
    assert (
        f'href="/consultations/{survey.slug}/outcome/"' in client.get(f"/consultations/{survey.slug}/").content.decode()
    )
    assert f'href="/consultations/{survey.slug}/outcome/"' in client.get("/", {"status": "closed"}).content.decode()
    # After publication there is nothing to sign up for.
    assert client.get(f"/consultations/{survey.slug}/hear-the-outcome/").status_code == 302


def test_who_took_part_is_protected_as_every_public_figure(client):
    census_shipped_load()
    survey = demo_consultation_create()
    equality_section_add(survey=survey, keys=["date_of_birth", "sex", "ethnic_group", "religion"])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    responses_generate(survey=survey, count=40, seed=3)
    close(survey)
    Outcome.objects.create(
        survey=survey,
        we_asked="a",
        you_said="b",
        we_did="c",
        decided_on=timezone.localdate(),
        published_at=timezone.now(),
    )
    page = client.get(f"/consultations/{survey.slug}/outcome/").content.decode()
    report = report_build(survey=survey, area_code=survey.report_area_code or "E08000009", audience=Audience.PROTECTED)
    assert report.suppressed
    assert "Who took part" in page and "40 people responded" in page and "Hidden" in page
    # Each figure says what it counts: the answers as they stood at publication, who took part as the
    # published snapshot last stood.
    assert "These figures count the 40 responses published on" in page
    assert "The answers below count the responses received by" in page
    hidden = [row for c in report.characteristics if c.level == "broad" for row in c.categories if row["suppressed"]]
    assert hidden, "with 40 responses some groups are too small to show"
    for row in hidden:
        assert re.search(escape(row["category"]) + r'</th><td class="[^"]+">Hidden', page), row["category"]
    # Every characteristic the report compares has a table, at its broad level where it has one, so every
    # group the headline names is shown (age, sex and religion have one level only).
    shown = re.findall(r'<caption class="govuk-table__caption govuk-table__caption--s">([^<]+)</caption>', page)
    keys = {c.key for c in report.characteristics}
    assert len([c for c in shown if not c.startswith("Answers to")]) == len(keys) >= 4
    for characteristic in report.characteristics:
        if characteristic.level == "broad" or characteristic.key not in {
            c.key for c in report.characteristics if c.level == "broad"
        }:
            assert escape(characteristic.label) in shown, characteristic.label
    for category, _label, _ratio in report.under_represented:
        assert f'<th scope="row" class="govuk-table__header">{escape(category)}</th>' in page, category


def test_addresses_for_an_outcome_never_published_are_deleted_by_the_daily_retention_run(client, settings):
    """Kept OUTCOME_EMAIL_RETENTION_DAYS after closing, then deleted, unless the outcome was sent (which
    deletes them anyway); consultations still open, or closed more recently, keep theirs."""
    from surveys.retention import retention_apply

    settings.OUTCOME_EMAIL_RETENTION_DAYS = 365
    now = timezone.now()
    long_ago, lately = now - dt.timedelta(days=366), now - dt.timedelta(days=364)
    long_closed = SurveyFactory(
        title="Long closed", status=Survey.Status.CLOSED, opens_at=long_ago - dt.timedelta(days=30), closes_at=long_ago
    )
    recently_closed = SurveyFactory(
        title="Recently closed", status=Survey.Status.CLOSED, opens_at=lately - dt.timedelta(days=30), closes_at=lately
    )
    still_open = SurveyFactory(title="Still open", status=Survey.Status.OPEN, closes_at=None)
    for survey, email in [
        (long_closed, "ann@example.com"),
        (long_closed, "bob@example.com"),
        (recently_closed, "carol@example.com"),
        (still_open, "dan@example.com"),
    ]:
        OutcomeSubscriber.objects.create(survey=survey, email=email)

    said = retention_apply()

    assert sorted(OutcomeSubscriber.objects.values_list("email", flat=True)) == ["carol@example.com", "dan@example.com"]
    assert "Deleted 2 email addresses left to hear an outcome that was not published" in said
    assert not mail.outbox

    settings.OUTCOME_EMAIL_RETENTION_DAYS = 30
    assert "Deleted 1 email address left" in retention_apply()
    assert list(OutcomeSubscriber.objects.values_list("email", flat=True)) == ["dan@example.com"]
    # Residents are told, where they leave the address and in the privacy notice.
    told = "If we have not published an outcome 30 days after the consultation closes, we delete it then."
    assert told in client.get(f"/s/{still_open.slug}/privacy/").content.decode()
    assert (
        "30 days after the consultation closes"
        in client.get(f"/consultations/{still_open.slug}/hear-the-outcome/").content.decode()
    )


def _answer_many(survey, question, counts: dict[str, int]) -> None:
    choices = {c.label: c for c in question.choices.all()}
    n = Response.objects.count()
    for label, count in counts.items():
        for _ in range(count):
            n += 1
            response = Response.objects.create(survey=survey, reference=f"MANY-{n:04d}", submission_key=f"m{n}")
            Answer.objects.create(response=response, question=question, choice=choices[label])


def test_each_charts_table_and_csv_show_the_protected_figures_exactly_as_the_page_does(client, survey):
    where = survey.pages.get().questions.get(key="where")
    ChoiceFactory(question=where, position=3, value="victoria", label="Victoria Park")
    # With the fixture's three: Walton Park 27, Longford Park 3, Victoria Park 12 of 42 who answered.
    _answer_many(survey, where, {"Walton Park": 25, "Longford Park": 2, "Victoria Park": 12})
    close(survey)
    assert client.get(f"/consultations/{survey.slug}/outcome/where.csv").status_code == 404  # not yet published
    outcome = Outcome.objects.create(
        survey=survey,
        we_asked="a",
        you_said="b",
        we_did="c",
        decided_on=timezone.localdate(),
        published_at=timezone.now() - dt.timedelta(minutes=1),
    )
    results = closed_question_results(survey=survey, as_of=outcome.published_at)
    protected = {r.label: r for r in next(r for r in results if r.key == "where").rows}
    assert protected["Longford Park"].hidden, "3 people is too few to show"
    assert sum(r.hidden for r in protected.values()) == 2, "with one more hidden, so it cannot be worked out"
    # A paper form keyed in after publication does not change the published figures by its answers.
    _answer_many(survey, where, {"Longford Park": 1})
    late = Response.objects.order_by("-reference").first()
    ResponseSource.objects.create(response=late, survey=survey)
    assert closed_question_results(survey=survey)[0].answered == 43

    page = client.get(f"/consultations/{survey.slug}/outcome/").content.decode()
    table = page.split("Answers to “Where should it go?”")[1].split("</table>")[0]
    cells = dict(re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th><td[^>]*>([^<]+)', table))
    assert cells["Longford Park"] == "Hidden"
    for label, row in protected.items():
        assert cells[label] == ("Hidden" if row.hidden else str(row.count)), label
        assert row.hidden or f">{row.percent}%</td>" in table
    chart = page.split('id="answers-1-caption"')[1].split("</figure>")[0]
    assert "Hidden to protect small numbers" in chart
    assert 'href="/consultations/play-area/outcome/where.csv"' in page

    download = client.get(f"/consultations/{survey.slug}/outcome/where.csv")
    assert download["Content-Type"].startswith("text/csv")
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Question,Answer,People,Share of the people who answered (%),Hidden to protect small numbers"
    expected = [
        f"Where should it go?,{label},{'' if row.hidden else row.count},{'' if row.hidden else row.percent},"
        f"{'yes' if row.hidden else 'no'}"
        for label, row in protected.items()
    ]
    assert lines[1:] == [*expected, "Where should it go?,People who answered the question,42,,no"]
    assert ",3," not in "\n".join(lines) and ",2," not in "\n".join(lines)
    assert client.get(f"/consultations/{survey.slug}/outcome/wants.csv").status_code == 200
    assert client.get(f"/consultations/{survey.slug}/outcome/nothing.csv").status_code == 404


def test_each_row_of_a_rating_grid_is_charted_with_its_own_protected_figures(client, survey):
    page = survey.pages.get()
    rate = QuestionFactory(page=page, position=3, key="rate", text="How would you rate the park?", type="grid")
    good = ChoiceFactory(question=rate, position=1, value="good", label="Good")
    poor = ChoiceFactory(question=rate, position=2, value="poor", label="Poor")
    paths = GridRowFactory(question=rate, position=1, value="paths", label="Paths")
    toilets = GridRowFactory(question=rate, position=2, value="toilets", label="Toilets")
    # Paths: 30 good, 12 poor. Toilets (answered by 23 of them): 20 good, 3 poor.
    for i in range(42):
        response = Response.objects.create(survey=survey, reference=f"RATE-{i:04d}", submission_key=f"r{i}")
        Answer.objects.create(response=response, question=rate, grid_row=paths, choice=good if i < 30 else poor)
        if i < 23:
            Answer.objects.create(response=response, question=rate, grid_row=toilets, choice=good if i < 20 else poor)

    exact = {r.key: r for r in closed_question_results(survey=survey, audience=Audience.EXACT)}
    assert exact["rate-paths"].text == "How would you rate the park?: Paths"
    assert [(r.label, r.count) for r in exact["rate-paths"].rows] == [("Good", 30), ("Poor", 12)]
    assert [(r.label, r.count) for r in exact["rate-toilets"].rows] == [("Good", 20), ("Poor", 3)]
    assert exact["rate-toilets"].answered == 23
    protected = {r.key: r for r in closed_question_results(survey=survey)}
    assert [(r.label, r.count, r.percent) for r in protected["rate-paths"].rows] == [("Good", 30, 71), ("Poor", 12, 29)]
    assert [r.count for r in protected["rate-toilets"].rows] == [None, None], "3 is too few; 20 would give it away"

    close(survey)
    Outcome.objects.create(
        survey=survey,
        we_asked="a",
        you_said="b",
        we_did="c",
        decided_on=timezone.localdate(),
        published_at=timezone.now(),
    )
    shown = client.get(f"/consultations/{survey.slug}/outcome/").content.decode()
    assert "How would you rate the park?: Toilets" in shown
    download = client.get(f"/consultations/{survey.slug}/outcome/rate-paths.csv")
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1:3] == [
        "How would you rate the park?: Paths,Good,30,71,no",
        "How would you rate the park?: Paths,Poor,12,29,no",
    ]
