"""Weighting, end to end: cells from the database, raked to the census, results side by side."""

import csv
import dataclasses
import io
import re
from collections import Counter

import pytest
from django.urls import reverse

from representativeness.disclosure import Audience, protection_for
from representativeness.errors import ReportError
from representativeness.weighting import weighting_run
from surveys.models import Answer, Choice, Page, Question, Response
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA, add

pytestmark = pytest.mark.django_db


def test_weights_match_the_census_and_results_are_reweighted_by_hand(voted):
    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    rake = result.rake
    assert rake.converged and rake.used_columns == ("sex",)
    # 200 answered of 215; 15 did not (a level of its own, kept at its share). Targets 60:40 of the 200:
    # women 150 -> 120 (weight 0.8), men 50 -> 80 (weight 1.6); the 15 keep weight 1.
    (first,) = result.questions
    table = first.results.table
    assert table.loc["Play areas", "respondents"] == 150
    assert table.loc["Play areas", "unweighted_share"] == pytest.approx(0.75)
    assert table.loc["Play areas", "weighted_share"] == pytest.approx(120 / 200)
    assert table.loc["Paths", "weighted_share"] == pytest.approx(80 / 200)
    # Kish effective n of the 200 answers: (150*0.8 + 50*1.6)^2 / (150*0.64 + 50*2.56) = 40000 / 224
    assert first.results.effective_n == pytest.approx(40000 / 224)
    assert first.results.leader_changes is False


def test_a_characteristic_the_survey_does_not_ask_is_left_out_and_said(voted):
    result = weighting_run(
        audience=Audience.EXACT,
        survey=voted,
        area_code=AREA,
        characteristics=["sex", "ethnic_group"],
    )
    assert result.characteristics == ["sex"]
    assert any("Ethnic group is left out: the survey does not ask about it." in n for n in result.diagnostics())


def login(client):
    client.force_login(staff_member("officer"))  # in the survey's team


def test_weighting_page_shows_diagnostics_and_side_by_side_results(client, voted):
    login(client)
    url = reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&characteristics=sex"
    page = client.get(url)
    assert page.status_code == 200
    assert "Design effect" in page.text and "effective sample size" in page.text
    assert "75%" in page.text and "60%" in page.text  # play areas: as answered, and reweighted (whole percentages)
    assert "not an estimate of what the public thinks" in page.text

    download = client.get(
        reverse("representativeness:weighting_download", args=[voted.pk, "csv"]) + f"?area={AREA}&characteristics=sex"
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    play = next(r for r in rows if r["answer"] == "Play areas")
    assert float(play["weighted_share"]) == pytest.approx(0.6)


def test_weighting_page_asks_for_a_characteristic(client, voted):
    login(client)
    page = client.get(reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&cap=")
    assert page.status_code == 200  # defaults are filled in on first visit
    page = client.get(reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&weigh=1")
    assert page.status_code == 400
    assert "Choose at least one characteristic to weight on" in page.text


def test_multiple_choice_options_are_weighted_as_shares_of_those_who_answered(voted):
    page = Page.objects.get(survey=voted, position=1)
    question = Question.objects.create(
        page=page, position=2, key="use", text="How do you use parks?", type="multiple_choice"
    )
    walk = Choice.objects.create(question=question, position=1, value="walk", label="Walking")
    Choice.objects.create(question=question, position=2, value="sport", label="Sport")
    men = Response.objects.filter(equality_profile__sex="male")
    for response in men:
        Answer.objects.create(response=response, question=question, choice=walk)
    add(voted, 0)
    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    walking = next(q for q in result.questions if q.row == "Walking")
    assert walking.results.table.loc["Selected", "unweighted_share"] == pytest.approx(1.0)


def test_demo_weighting_collapses_empty_ethnic_groups_and_can_match_age_by_sex(db):
    from representativeness.services.baselines import census_shipped_load
    from surveys.demo import demo_consultation_create
    from surveys.equality.services import equality_section_add
    from surveys.synthetic import responses_generate

    census_shipped_load()
    survey = demo_consultation_create()
    equality_section_add(survey=survey, keys=["date_of_birth", "sex", "ethnic_group"])
    responses_generate(survey=survey, count=300, seed=11)

    result = weighting_run(
        audience=Audience.EXACT,
        survey=survey,
        area_code="E08000009",
        characteristics=["age", "sex", "ethnic_group"],
    )
    assert result.rake.converged
    # 300 respondents cannot cover all 19 ethnic groups (Roma, Gypsy or Irish Traveller...): collapsed to 5.
    assert "ethnic_group" in result.rake.collapsed
    assert any(note.startswith("Ethnic group: ") and "broad groups" in note for note in result.diagnostics())
    margins = result.rake.margins
    assert (margins["weighted_share"] - margins["target_share"]).abs().max() < 1e-8

    joint = weighting_run(
        audience=Audience.EXACT,
        survey=survey,
        area_code="E08000009",
        characteristics=["age", "sex"],
        poststratify_age_sex=True,
    )
    assert joint.poststratified and joint.rake.converged
    assert "(age and sex together)" in joint.diagnostics()[0]
    assert result.questions and all(q.results.n > 0 for q in result.questions)


def test_a_cap_no_weighting_can_meet_is_refused_before_raking_and_said_plainly(client, voted):
    # 50 men must carry 40% of the weight of the 200 who answered (and the 10 who did not keep theirs):
    # the smallest possible largest weight is 0.4 * 200 / 50 = 1.6 times the average.
    with pytest.raises(ReportError) as error:
        weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], cap=1.2)
    assert str(error.value) == (
        "No weighting to these census figures can keep every weight within 1.2 times the average: the smallest "
        "possible largest weight is 1.60. Choose no cap, or a higher one, or weight on fewer or broader "
        "characteristics; or keep the weights within it by trimming afterwards, which leaves the figures only near "
        "the census. Nothing weighted is shown."
    )
    client.force_login(staff_member("analyst", equality_data=True))  # the figure: for the exact audience only
    page = client.get(
        reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&characteristics=sex&cap=1.2"
    )
    assert page.status_code == 400 and "smallest possible largest weight is 1.60" in page.text
    # A cap it can meet is used, and said.
    capped = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], cap=3)
    assert capped.rake.converged and capped.rake.max_weight == pytest.approx(1.6)


def test_weights_that_do_not_converge_are_not_shown(voted):
    with pytest.raises(ReportError) as error:
        weighting_run(
            audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex", "religion"], max_iter=1
        )
    assert "The weighting did not settle" in str(error.value)
    assert "no weighted results are shown" in str(error.value)


def test_officers_without_permission_do_not_see_exact_weights(client, voted):
    """With census shares public, an exact weight gives a small cell's count back."""
    login(client)
    page = client.get(reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&characteristics=sex")
    assert "Design effect" in page.text and "Weights range" not in page.text
    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    assert any(line.startswith("Weights range") for line in result.diagnostics())


def test_diagnostics_name_characteristics_in_words(voted):
    lines = weighting_run(
        audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex", "religion"]
    ).diagnostics()
    assert (
        "Religion: Buddhist, Hindu, Jewish, Muslim, Sikh and Other religion have fewer than 20 respondents, so they "
        "are combined with No religion for weighting." in lines
    )
    assert not any(line.startswith(("religion:", "sex:", "ethnic_group", "area:")) for line in lines)


def test_a_handful_of_responses_sharing_one_sex_gets_a_plain_explanation(client, area):
    from tests.representativeness.reports.conftest import make_survey

    survey = make_survey("handful")
    add(survey, 2, sex="female", religion="christian")
    with pytest.raises(ReportError) as error:
        weighting_run(audience=Audience.EXACT, survey=survey, area_code=AREA, characteristics=["sex"])
    assert str(error.value).startswith("These 2 responses cannot be weighted: no characteristic is left to weight on.")
    assert "Sex: too few respondents to keep even two groups of at least 20" in str(error.value)
    client.force_login(staff_member("analyst", equality_data=True))  # the explanation names groups: exact only
    page = client.get(reverse("representativeness:weighting", args=[survey.pk]) + f"?area={AREA}&characteristics=sex")
    assert page.status_code == 400 and "These 2 responses cannot be weighted" in page.text


def test_a_small_effective_sample_is_never_about_0_responses(voted):
    from representativeness.weighting import WeightingResult

    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    small = WeightingResult(
        survey=voted,
        area_code=AREA,
        area_name="Testborough",
        characteristics=["sex"],
        rake=dataclasses.replace(result.rake, effective_sample_size=4.2),
        questions=[],
        protection=protection_for(audience=Audience.PROTECTED, survey=voted),
    )
    lines = small.diagnostics()
    assert any("as precise as fewer than 10 responses" in line for line in lines)
    assert not any("about 0" in line for line in lines)


def test_a_floor_on_weights_is_met_or_refused_before_raking(client, voted):
    # Women (150 of 200 answering) carry 60%: their weight is at least 0.6 * 200 / 150 = 0.8 of the mean.
    floored = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], floor=0.5)
    assert floored.rake.converged and floored.rake.min_weight >= 0.5 - 1e-9
    with pytest.raises(ReportError) as error:
        weighting_run(
            audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], floor=0.9, cap=1.2
        )
    assert str(error.value).startswith(
        "No weighting to these census figures can keep every weight within 1.2 times the average"
    )
    with pytest.raises(ReportError) as error:
        weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], floor=1.0)
    assert "can keep every weight at least 1 times the average" in str(error.value)
    login(client)
    page = client.get(
        reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&characteristics=sex&floor=0.5"
    )
    assert page.status_code == 200 and 'name="floor"' in page.text


def test_weights_can_be_trimmed_to_a_cap_raking_cannot_meet_saying_how_far_the_margins_move(client, voted):
    """R's trimWeights: women weigh 0.8 and men 1.6; a cap of 1.5 trims the 50 men to 1.5 and spreads the
    50 * 0.1 = 5 cut off over the other 165 (women and the 15 who did not say, +5/165 each), so men carry
    75 where the census gives them 80: a margin error of 6.25%, and 2.3 percentage points of the 215."""
    result = weighting_run(
        audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], cap=1.5, trim=True
    )
    rake = result.rake
    assert rake.trimmed and rake.max_weight == pytest.approx(1.5)
    assert rake.max_margin_error == pytest.approx(0.0625)
    (first,) = result.questions
    assert first.results.table.loc["Paths", "weighted_share"] == pytest.approx(75 / (75 + 150 * (0.8 + 5 / 165)))
    lines = result.diagnostics()
    assert (
        "Weights were trimmed to at most 1.5 times the average after weighting, as R's trimWeights does: the "
        f"weighted figures then differ from the census by up to {0.0625:.1%}." in lines
    )
    assert not any("within 1e-10 (relative) of its census target" in line for line in lines)

    client.force_login(staff_member("analyst", equality_data=True))
    query = f"?area={AREA}&characteristics=sex&cap=1.5&bounds=trim"
    page = client.get(reverse("representativeness:weighting", args=[voted.pk]) + query)
    assert page.status_code == 200
    assert f"differ from the census by up to {0.0625:.1%}" in page.text
    assert 'value="trim" checked' in page.text
    # Without the permission, and in every download, a cap counts as the whole number above it (2, which
    # no weight reaches): a finer cap would give the counts away (tests/representativeness/disclosure).
    login(client)
    protected = client.get(reverse("representativeness:weighting", args=[voted.pk]) + query)
    assert "bounded at whole numbers" in protected.text
    download = client.get(reverse("representativeness:weighting_download", args=[voted.pk, "csv"]) + query)
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert float(next(r for r in rows if r["answer"] == "Paths")["weighted_share"]) == pytest.approx(0.4)


def test_trimmed_weights_far_from_the_census_are_refused(client, voted):
    """A cap of 1.2 trims the men to 60 where the census gives them 80: of the 215, 27.9% weighted against
    37.2%, 9.3 percentage points off. The trial's demo was shown in full "if matched to census" while 82.9%
    off on a ward; beyond 5 points the figures are not those of respondents matching the census."""
    with pytest.raises(ReportError) as error:
        weighting_run(
            audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"], cap=1.2, trim=True
        )
    assert str(error.value).startswith(
        "Trimmed to at most 1.2 times the average, the weights leave the weighted profile more than 5 percentage "
        "points from the census (Sex Male: 27.9% weighted, against 37.2% in the census"
    )
    assert "Nothing weighted is shown." in str(error.value)
    client.force_login(staff_member("analyst", equality_data=True))
    page = client.get(
        reverse("representativeness:weighting", args=[voted.pk])
        + f"?area={AREA}&characteristics=sex&cap=1.2&bounds=trim"
    )
    assert page.status_code == 400 and "more than 5 percentage points from the census" in page.text
    assert "If matched to census" not in page.text


def _again_question(voted, values=("yes", "no")) -> tuple[Question, list[Choice]]:
    """A second single-choice question on the survey's first page, "Come again?", offering these answers
    (values, labelled "Yes", "No" and so on): the tests below answer it by sex."""
    page = Page.objects.get(survey=voted, position=1)
    question = Question.objects.create(page=page, position=2, key="again", text="Come again?", type="single_choice")
    choices = [
        Choice.objects.create(question=question, position=position, value=value, label=value.title())
        for position, value in enumerate(values, start=1)
    ]
    return question, choices


def test_the_stated_precision_is_that_of_the_linearised_intervals_not_kish(voted):
    from representativeness.stats.weighted_results import random_sample_sizes

    question, (yes, no) = _again_question(voted)
    # Counted within each sex, so that how many of each sex say Yes does not depend on the order of the
    # responses (their ids are random): weighted on sex alone, only those counts decide the figures.
    seen: Counter[str] = Counter()
    for response in Response.objects.filter(survey=voted).select_related("equality_profile"):
        sex = response.equality_profile.sex
        if sex in ("female", "male"):
            Answer.objects.create(response=response, question=question, choice=yes if seen[sex] % 3 else no)
            seen[sex] += 1
    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    again = next(q for q in result.questions if q.question == "Come again?").results
    table = again.table
    # The size of a random sample whose interval is as wide as the answer's linearised one: p(1 - p) / se^2.
    size = float(
        table.loc["Yes", "weighted_share"] * table.loc["No", "weighted_share"] / table.loc["Yes", "weighted_se"] ** 2
    )
    assert random_sample_sizes(again)[0] == pytest.approx(size)
    kish = result.rake.effective_sample_size
    assert abs(size - kish) > 5  # the two disagree here, so the test can tell them apart
    precision = next(line for line in result.diagnostics() if "as precise as" in line)
    # "What first?" is sex itself (nothing left to vary once weighted): only "Come again?" has a finite figure.
    assert f"as precise as a random sample of {size:,.0f} responses would be, out of 215" in precision
    assert "linearisation" in precision and f"effective sample size {kish:,.0f} by Kish's formula" in precision


def test_an_answer_the_weighting_fixes_exactly_gives_no_precision_figure(voted):
    """'What first?' follows sex exactly (every woman one answer, every man the other): weighted on sex and
    religion its linearised standard error is zero up to rounding (about 1e-17), not a real precision, and the
    page had said 'as precise as random samples of 571,317,296,071,056,... responses'."""
    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex", "religion"])
    precision = next(line for line in result.diagnostics() if "as precise as" in line)
    figures = [int(figure.replace(",", "")) for figure in re.findall(r"\d[\d,]*", precision.split(" out of ")[0])]
    assert figures and max(figures) < 10 * result.rake.n, precision


def test_the_precision_line_counts_only_the_answers_whose_weighted_share_is_shown(voted):
    """Nine men answered "Maybe" (men are weighted up): its weighted share is hidden from an officer without the
    equality-data permission, and so is its precision, which is far from the others' (a range reaching it
    would bound its share); the line gives the one shown answer's only."""
    from representativeness.stats.weighted_results import random_sample_sizes

    question, (yes, no, maybe) = _again_question(voted, ("yes", "no", "maybe"))
    # Counted within each sex (response ids are random, so no order of them is fixed): nine men say Maybe,
    # the others Yes and No in turn.
    seen: Counter[str] = Counter()
    responses = Response.objects.filter(survey=voted, equality_profile__sex__in=["female", "male"])
    for response in responses.select_related("equality_profile"):
        sex = response.equality_profile.sex
        number = seen[sex]
        seen[sex] += 1
        choice = maybe if sex == "male" and number < 9 else (yes, no)[number % 2]
        Answer.objects.create(response=response, question=question, choice=choice)

    exact = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    exact_again = next(q for q in exact.questions if q.question == "Come again?").results
    sizes = dict(zip(exact_again.table.index, random_sample_sizes(exact_again), strict=True))
    protected = weighting_run(audience=Audience.PROTECTED, survey=voted, area_code=AREA, characteristics=["sex"])
    again = next(q for q in protected.questions if q.question == "Come again?").results.table
    shown = [answer for answer in again.index if not again.loc[answer, "weighted_hidden"]]
    assert "Maybe" not in shown and shown
    around = {10 * round(sizes[answer] / 10) for answer in shown}
    assert abs(sizes["Maybe"] - min(sizes[a] for a in shown)) > 20  # the test can tell the two apart
    precision = next(line for line in protected.diagnostics() if "as precise as" in line)
    figures = {int(f.replace(",", "")) for f in re.findall(r"about ([\d,]+)", precision.split(" out of ")[0])}
    assert figures and figures <= around, (precision, sizes)


def test_the_cap_hint_gives_no_example_that_may_be_refused():
    """The hint said "For example 5", and the demo's smallest possible largest weight is 5.13: the example was
    refused. No fixed number is safe for every survey, so the hint gives none."""
    from representativeness.reports.forms import WeightingForm

    form = WeightingForm()
    hint = str(form.fields["cap"].help_text)
    assert not re.search(r"\d", hint) and "smallest largest weight" in hint
    assert not re.search(r"\d", str(form.fields["cap"].error_messages["invalid"]))


def test_a_precision_beyond_the_number_weighted_is_explained(voted):
    """Women mostly say Yes and men mostly No: weighted on sex, the Yes share is as precise as a random sample
    of several hundred, more than the 215 weighted (the API said "about 790 to about 2,360 responses ... out of
    1,500" with no reason). Raking removes the chance variation that sex explains; the line says so."""
    from representativeness.stats.weighted_results import random_sample_sizes

    question, (yes, no) = _again_question(voted)
    seen: Counter[str] = Counter()
    for response in Response.objects.filter(survey=voted).select_related("equality_profile"):
        sex = response.equality_profile.sex
        if sex in ("female", "male"):
            says_yes = seen[sex] < 140 if sex == "female" else seen[sex] < 5
            Answer.objects.create(response=response, question=question, choice=yes if says_yes else no)
            seen[sex] += 1
    result = weighting_run(audience=Audience.EXACT, survey=voted, area_code=AREA, characteristics=["sex"])
    again = next(q for q in result.questions if q.question == "Come again?").results
    size = float(random_sample_sizes(again)[0])
    assert size > 215
    precision = next(line for line in result.diagnostics() if "as precise as" in line)
    assert f"as precise as a random sample of {size:,.0f} responses would be, out of 215. The figure is more " in (
        precision
    )
    assert "more than the 215 weighted: fixing the weighted profile to the census removes the chance variation" in (
        precision
    )
    assert "an answer that goes with sex is more precise than a random sample of the same size" in precision


def test_an_answer_no_one_chose_is_not_called_hidden_for_the_exact_audience(client, voted):
    """Weighted, an answer with 0 respondents has a share of 0 and no linearised interval: the analyst's table
    showed "– hidden" for it, though nothing is hidden from them."""
    question = Question.objects.get(key="first")
    Choice.objects.create(question=question, position=3, value="none", label="Nothing")
    client.force_login(staff_member("analyst", equality_data=True))
    page = client.get(reverse("representativeness:weighting", args=[voted.pk]) + f"?area={AREA}&characteristics=sex")
    row = page.text[page.text.index('scope="row" class="govuk-table__header">Nothing') :].split("</tr>")[0]
    assert "hidden" not in row
    assert ">0<" in row.replace(" ", "") and "0.0% (no one chose it: no interval)" in row
