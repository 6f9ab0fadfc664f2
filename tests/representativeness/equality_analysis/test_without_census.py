"""Marital or civil partnership status and pregnancy and maternity, which About you asks but the census does
not count here, are analysed like every other characteristic: each group's answers against everyone
else's, weighted too, with the same protection (docs/decisions/0040).

The survey's 207 respondents are all known (`PEOPLE`); the truth is counted from that list in the tests,
and the statistics are scipy's and statsmodels'. Four respondents are pregnant or gave birth recently,
six are widowed: both groups too small to publish.
"""

import csv
import io
import json
from collections import Counter
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from representativeness.disclosure import Audience
from representativeness.equality_analysis import equality_analysis_build
from representativeness.equality_analysis.eqia import eqia_build
from representativeness.stats.group_differences import compare_weighted
from surveys.equality.services import equality_section_add
from surveys.models import Answer, Choice, Page, Question, Survey
from tests.attacker import count_ranges
from tests.factories import TeamFactory, respondent, staff_member
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db

QUESTION = "What should come first?"
PLAY, PATHS = "Play areas", "Paths"
# (sex, marital status, pregnancy, answer): respondents
PEOPLE = {
    ("female", "married", "no", PLAY): 50,
    ("female", "married", "no", PATHS): 10,
    ("female", "civil_partnership", "no", PLAY): 6,
    ("female", "civil_partnership", "no", PATHS): 6,
    ("male", "married", "no", PLAY): 25,
    ("male", "married", "no", PATHS): 15,
    ("female", "never_married", "no", PLAY): 20,
    ("female", "never_married", "no", PATHS): 20,
    ("male", "never_married", "no", PLAY): 5,
    ("male", "never_married", "no", PATHS): 15,
    ("female", "divorced", "no", PLAY): 8,
    ("female", "divorced", "no", PATHS): 7,
    ("male", "widowed", "no", PLAY): 2,
    ("male", "widowed", "no", PATHS): 4,
    ("female", "never_married", "yes", PLAY): 3,
    ("female", "never_married", "yes", PATHS): 1,
    ("female", "prefer_not_to_say", "prefer_not_to_say", PLAY): 3,
    ("female", "prefer_not_to_say", "prefer_not_to_say", PATHS): 2,
    ("male", "skipped", "skipped", PATHS): 5,
}
MARITAL = {
    "Never married and never registered a civil partnership": {"never_married"},
    "Married or in a registered civil partnership": {"married", "civil_partnership"},
    "Separated, but still legally married or in a civil partnership": {
        "separated_married",
        "separated_civil_partnership",
    },
    "Divorced or civil partnership dissolved": {"divorced", "dissolved"},
    "Widowed or surviving civil partnership partner": {"widowed", "surviving_partner"},
}
PREGNANT = "Pregnant or gave birth in the last 26 weeks"
NOT_PREGNANT = "Not pregnant and did not give birth in the last 26 weeks"
PREGNANCY = {PREGNANT: {"yes"}, NOT_PREGNANT: {"no"}}
WIDOWED = "Widowed or surviving civil partnership partner"
COLUMN = {"marital_status": 1, "pregnancy": 2}
GROUPS = {"marital_status": MARITAL, "pregnancy": PREGNANCY}


@pytest.fixture
def household(area) -> Survey:
    survey = Survey.objects.create(
        title="Parks", slug="parks", status=Survey.Status.OPEN, team=TeamFactory(name="Parks"), minimum_age=16
    )
    page = Page.objects.create(survey=survey, position=1, title="Your views")
    question = Question.objects.create(page=page, position=1, key="first", text=QUESTION, type="single_choice")
    choices = {
        label: Choice.objects.create(question=question, position=i, value=label.lower(), label=label)
        for i, label in enumerate((PLAY, PATHS), start=1)
    }
    equality_section_add(survey=survey, keys=["sex", "marital_status", "pregnancy"])
    number = 0
    for (sex, marital, pregnancy, answer), count in PEOPLE.items():
        for _ in range(count):
            number += 1
            response = respondent(survey, f"T{number:07d}", sex=sex, marital_status=marital, pregnancy=pregnancy)
            Answer.objects.create(response=response, question=question, choice=choices[answer])
    return survey


def truth(key: str) -> dict[str, tuple[int, int]]:
    """Each group's (chose play areas, answered), counted from PEOPLE."""
    counts: dict[str, list[int]] = {group: [0, 0] for group in GROUPS[key]}
    for person, n in PEOPLE.items():
        for group, values in GROUPS[key].items():
            if person[COLUMN[key]] in values:
                counts[group][0] += n if person[3] == PLAY else 0
                counts[group][1] += n
    return {group: (k, n) for group, (k, n) in counts.items()}


def analysis_json(*flags: str, weighted: bool = False) -> dict:
    out = StringIO()
    extra = ["--weighted", "--area", AREA] if weighted else []
    call_command("equality_analysis", "parks", "--format", "json", *extra, *flags, stdout=out)
    return json.loads(out.getvalue())


def characteristic(data: dict, key: str, answer: str = PLAY, level: str = "broad") -> dict:
    outcome = next(q for q in data["questions"] if q["question"] == QUESTION and q["answer"] == answer)
    return next(c for c in outcome["characteristics"] if c["key"] == key and c["level"] == level)


def scipy_test(table: list[list[int]]) -> tuple[str, float]:
    """What the analysis's rule picks: Pearson's chi-square, or Fisher's exact test below 5 expected."""
    if stats.contingency.expected_freq(table).min() < 5:
        return "fisher_exact", stats.fisher_exact(table).pvalue
    return "chi_square", stats.chi2_contingency(table, correction=False).pvalue


@pytest.mark.parametrize("key", ["marital_status", "pregnancy"])
def test_each_group_is_compared_with_everyone_else_who_answered_against_scipy(household, key):
    data = analysis_json("--exact")
    table = characteristic(data, key)
    groups = truth(key)
    everyone_k = sum(k for k, _ in groups.values())
    everyone_n = sum(n for _, n in groups.values())
    assert table["respondents"] == everyone_n  # prefer not to say and skipped are not compared
    assert [g["group"] for g in table["groups"]] == list(GROUPS[key])
    compared = 0
    for row in table["groups"]:
        k, n = groups[row["group"]]
        assert row["respondents"] == n and not row["suppressed"]
        if n == 0:  # nobody separated: nothing to tell, never "similar"
            assert row["share"] is None and row["flag"] == "too_few_to_tell"
            continue
        others_k, others_n = everyone_k - k, everyone_n - n
        assert row["share"] == pytest.approx(k / n)
        assert (row["low"], row["high"]) == pytest.approx(proportion_confint(k, n, method="wilson"))
        assert row["others_respondents"] == others_n and row["others_share"] == pytest.approx(others_k / others_n)
        test, p_value = scipy_test([[k, n - k], [others_k, others_n - others_k]])
        assert row["test"] == test and row["p_value"] == pytest.approx(p_value)
        compared += 1
    assert compared == (4 if key == "marital_status" else 2)


def test_married_respondents_chose_play_areas_more_often_in_plain_english(household):
    analysis = equality_analysis_build(survey=household, audience=Audience.EXACT)
    groups = truth("marital_status")
    k, n = groups.pop("Married or in a registered civil partnership")
    assert (k, n) == (81, 112)
    others_k, others_n = (sum(counts) for counts in zip(*groups.values(), strict=True))
    assert (others_k, others_n) == (38, 85)
    assert scipy_test([[k, n - k], [others_k, others_n - others_k]])[1] < 0.001
    married = "Respondents who are married or in a civil partnership"
    expected = f"{married} were more likely to answer “{PLAY}” to “{QUESTION}” (72%"
    assert any(f.text.startswith(expected) for f in analysis.findings), [f.text for f in analysis.findings]
    # Too few widowed or pregnant respondents to tell: named as such, never "no difference".
    assert any(line.startswith("Widowed respondents and surviving civil partners") for line in analysis.too_few_to_tell)
    assert any(line.startswith("Respondents who are pregnant") for line in analysis.too_few_to_tell)


def test_every_reading_says_these_two_have_no_census_comparison(household):
    notes = analysis_json()["notes"]
    assert (
        "Marital or civil partnership status has no census comparison, so its groups are compared only with each "
        "other. Census 2021 has a table for this (TS002), but Chorus does not import it yet." in notes
    )
    assert (
        "Pregnancy and maternity has no census comparison, so its groups are compared only with each other. The "
        "census does not ask about pregnancy or maternity." in notes
    )


def test_weighted_figures_use_the_raking_weights_though_neither_is_raked(household):
    """Raked on sex to the census's 60:40 (136 women, 71 men), the marital groups' weighted figures are the
    weighted counts of the same respondents, and the test the one a respondent-level design gives."""
    data = analysis_json("--exact", weighted=True)
    assert data["method"]["weighting"]["characteristics"] == ["sex"]
    women, men = 136, 71
    weight = {"female": 0.6 * (women + men) / women, "male": 0.4 * (women + men) / men}
    people = [(p, weight[p[0]]) for p, n in PEOPLE.items() for _ in range(n)]
    for key in ("marital_status", "pregnancy"):
        stated = [(p, w) for p, w in people if any(p[COLUMN[key]] in v for v in GROUPS[key].values())]
        for row in characteristic(data, key)["groups"]:
            if row["respondents"] == 0:
                continue
            in_group = np.array([p[COLUMN[key]] in GROUPS[key][row["group"]] for p, _ in stated])
            chose = np.array([p[3] == PLAY for p, _ in stated])
            weights = np.array([w for _, w in stated])
            expected = compare_weighted(in_group, chose, weights, np.ones(len(stated)))
            weighted = row["weighted"]
            share = (weights * chose)[in_group].sum() / weights[in_group].sum()
            assert weighted["share"] == pytest.approx(share)
            assert weighted["share"] == pytest.approx(expected.share)
            assert weighted["others_share"] == pytest.approx(expected.others_share)
            assert weighted["p_value"] == pytest.approx(expected.p_value)
            assert weighted["test"] == "rao_scott"


def hidden_ranges(protected: dict, exact: dict, key: str) -> dict:
    """An attacker's bounds on each hidden count of the question's table: every shown count, the exact number
    giving each answer among those who stated the characteristic (the total row, always shown), and that each
    group's answers add up to its respondents."""
    equations = []
    answered: dict[str, tuple] = {}
    for answer in (PLAY, PATHS):
        shown, true = characteristic(protected, key, answer), characteristic(exact, key, answer)
        column_total = sum(round(g["share"] * g["respondents"]) for g in true["groups"] if g["respondents"])
        unknown = {}
        for row in shown["groups"]:
            if row["suppressed"]:
                unknown[(row["group"], answer)] = 1.0
                answered[row["group"]] = ("n", row["group"])
            elif row["respondents"]:
                column_total -= round(row["share"] * row["respondents"])
        if unknown:
            equations.append((unknown, column_total))
    total = characteristic(protected, key)["respondents"]
    shown_total = sum(g["respondents"] for g in characteristic(protected, key)["groups"] if not g["suppressed"])
    if answered:
        equations.append(({name: 1.0 for name in answered.values()}, total - shown_total))
        for group, name in answered.items():
            equations.append(({(group, PLAY): 1.0, (group, PATHS): 1.0, name: -1.0}, 0))
    return count_ranges(equations) if equations else {}


@pytest.mark.parametrize("key", ["marital_status", "pregnancy"])
def test_small_groups_are_hidden_and_cannot_be_worked_out_from_complements_or_totals(household, key):
    protected, exact = analysis_json(), analysis_json("--exact")
    assert protected["method"]["audience"] == "protected"
    table = characteristic(protected, key)
    hidden = {g["group"] for g in table["groups"] if g["suppressed"]}
    small = WIDOWED if key == "marital_status" else PREGNANT
    assert small in hidden
    if key == "pregnancy":  # two groups: the other is everyone else, its count the total less the small one
        assert hidden == {PREGNANT, NOT_PREGNANT}
    for row in table["groups"]:
        if row["suppressed"]:
            assert all(row[f] is None for f in ("respondents", "share", "low", "others_share", "p_value", "flag"))
    ranges = hidden_ranges(protected, exact, key)
    groups = truth(key)
    for name, (low, high) in ranges.items():
        if name[0] == "n":
            actual = groups[name[1]][1]
        else:
            k, n = groups[name[0]]
            actual = k if name[1] == PLAY else n - k
        assert low - 1e-6 <= actual <= high + 1e-6
        if 0 < actual < 10:
            assert high - low >= 4, (name, low, high)
    assert ("n", small) in ranges
    assert not any(small.split(" ")[0] in f for f in protected["findings"])


def sign_in(client, *, equality_data: bool) -> None:
    name = "analyst" if equality_data else "viewer"
    client.force_login(staff_member(name, role="Analyst" if equality_data else "Viewer", equality_data=equality_data))


def test_page_hides_the_pregnant_group_from_staff_without_the_permission_and_shows_it_to_those_with_it(
    client, household
):
    url = reverse("representativeness:equality_analysis", args=[household.pk])
    sign_in(client, equality_data=False)
    page = client.get(url).content.decode()
    assert "Pregnancy and maternity (" in page and "Marital or civil partnership status (" in page
    assert "has no census comparison" in page
    pregnant_row = page.split(f">{PREGNANT}</th>", 1)[1].split("</tr>", 1)[0]
    assert "Hidden to protect the people who answered" in pregnant_row
    client.logout()
    sign_in(client, equality_data=True)
    page = client.get(url).content.decode()
    pregnant_row = page.split(f">{PREGNANT}</th>", 1)[1].split("</tr>", 1)[0]
    assert "Hidden" not in pregnant_row and ">4<" in pregnant_row and "75%" in pregnant_row


def test_downloads_carry_both_protected_whoever_makes_them(client, household):
    sign_in(client, equality_data=True)
    url = reverse("representativeness:equality_analysis_download", args=[household.pk, "csv"])
    body = b"".join(client.get(url).streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    by_characteristic = Counter(r["characteristic"] for r in rows)
    assert by_characteristic["Marital or civil partnership status"] == 2 * 5
    assert by_characteristic["Pregnancy and maternity"] == 2 * 2
    pregnant = [r for r in rows if r["group"] == PREGNANT]
    assert pregnant and all(r["suppressed"] == "yes" and r["respondents"] == "" for r in pregnant)
    # Which other groups hide the widowed depends on the survey's key (some tables hide every group): whichever
    # they are, the rest are shown, counts exact and shares in whole percentages.
    marital = [r for r in rows if r["characteristic"] == "Marital or civil partnership status" and r["answer"] == PLAY]
    groups = truth("marital_status")
    assert next(r for r in marital if r["group"] == WIDOWED)["suppressed"] == "yes"
    for row in (r for r in marital if r["suppressed"] == "no" and groups[r["group"]][1]):
        k, n = groups[row["group"]]
        assert row["respondents"] == str(n) and float(row["share"]) == round(k / n, 2)
    assert all(r["respondents"] == r["share"] == "" for r in marital if r["suppressed"] == "yes")


def test_the_eqia_summary_says_plainly_that_neither_is_compared_with_the_census(household):
    summary = eqia_build(survey=household, area_code=AREA)
    text = {section.heading: " ".join(section.paragraphs + section.bullets) for section in summary.sections}
    assert (
        "Marital or civil partnership status and pregnancy and maternity have no census comparison: each group's "
        "answers are compared with everyone else's, but who took part is not compared with the area's population "
        "for them." in text["Method"]
    )
    assert "Census 2021 has a table for this (TS002), but Chorus does not import it yet." in text["Limitations"]
    assert "The census does not ask about pregnancy or maternity." in text["Limitations"]
    assert PREGNANT not in " ".join(text.values())  # the summary is protected: four people are not named
