"""Who sees what: protected figures for everyone without the equality-data permission and in every file,
checked by trying to work the hidden counts back out; the page and its downloads."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from scipy.optimize import linprog

from audit.models import AuditEntry
from tests.attacker import count_ranges
from tests.factories import respondent, staff_member

PASSWORD = "a-long-test-password"


def analysis_json(*flags: str) -> dict:
    out = StringIO()
    call_command("equality_analysis", "parks", "--format", "json", *flags, stdout=out)
    return json.loads(out.getvalue())


def tables(data: dict):
    for outcome in data["questions"]:
        for characteristic in outcome["characteristics"]:
            yield outcome, characteristic


def test_a_group_of_seven_is_hidden_and_so_is_the_group_that_would_give_it_away(analysed_survey):
    protected = analysis_json()
    assert protected["method"]["audience"] == "protected"
    for _outcome, characteristic in tables(protected):
        if characteristic["key"] != "sex":
            continue
        men, women = (next(g for g in characteristic["groups"] if g["group"] == name) for name in ("Male", "Female"))
        assert men["suppressed"] and men["respondents"] is None and men["share"] is None and men["flag"] is None
        # Women are everyone else of the men: their figures would give the men's away.
        assert women["suppressed"] and women["others_share"] is None
    assert not any("Men" in finding or "Women" in finding for finding in protected["findings"])


def test_hidden_counts_cannot_be_worked_back_out_from_totals_shares_and_complements(analysed_survey):
    """The attacker knows every published figure and the exact totals (the weighting page publishes each
    answer's count; the characteristic's total is published here), and solves for each hidden count."""
    protected, exact = analysis_json(), analysis_json("--exact")
    checked = 0
    for (outcome, characteristic), (_, truth) in zip(tables(protected), tables(exact), strict=True):
        groups = characteristic["groups"]
        hidden = [i for i, g in enumerate(groups) if g["respondents"] is None]
        if not hidden:
            continue
        total = characteristic["respondents"]
        shown = sum(g["respondents"] for g in groups if g["respondents"] is not None)
        # Unknowns: the hidden groups' respondents, each at least 0, adding up to what the shown leave.
        ranges = count_ranges([({i: 1.0 for i in hidden}, total - shown)])
        for i in hidden:
            low, high = ranges[i]
            actual = truth["groups"][i]["respondents"]
            assert low <= actual <= high
            if actual < 10:
                assert high - low >= 4, (outcome["answer"], characteristic["key"], groups[i]["group"])
            checked += 1
    assert checked > 0


def test_the_exact_audience_sees_every_group(analysed_survey):
    exact = analysis_json("--exact")
    for _, characteristic in tables(exact):
        assert all(not g["suppressed"] and g["respondents"] is not None for g in characteristic["groups"])


def sign_in(client, *, equality_data: bool):
    user = staff_member(
        "analyst" if equality_data else "viewer",
        role="Analyst" if equality_data else "Viewer",
        equality_data=equality_data,
        team="Parks",
    )
    client.force_login(user)
    return user


def test_page_shows_findings_and_hides_small_groups_from_staff_without_the_permission(client, analysed_survey):
    url = reverse("representativeness:equality_analysis", args=[analysed_survey.pk])
    sign_in(client, equality_data=False)
    page = client.get(url).content.decode()
    assert "How each group answered" in page
    assert "Hidden to protect the people who answered" in page
    assert "Disabled respondents were more likely to select “Toilets”" in page


def test_page_shows_every_figure_to_staff_with_the_permission(client, analysed_survey):
    url = reverse("representativeness:equality_analysis", args=[analysed_survey.pk])
    sign_in(client, equality_data=True)
    page = client.get(url).content.decode()
    assert "Hidden to protect the people who answered" not in page
    assert "Disabled respondents were less likely to agree with" in page


def test_weighting_without_baselines_is_a_clear_message_not_a_500(client, analysed_survey):
    url = reverse("representativeness:equality_analysis", args=[analysed_survey.pk])
    sign_in(client, equality_data=True)
    response = client.get(url + "?weighted=on")
    assert response.status_code == 400
    assert "No census baselines are loaded, so the answers cannot be weighted." in response.content.decode()


def test_downloads_are_protected_whoever_makes_them_and_audited(client, analysed_survey):
    user = sign_in(client, equality_data=True)
    url = reverse("representativeness:equality_analysis_download", args=[analysed_survey.pk, "csv"])
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    men = [r for r in rows if r["group"] == "Male"]
    assert men and all(r["suppressed"] == "yes" and r["respondents"] == "" for r in men)
    entry = AuditEntry.objects.filter(actor=user).latest("pk")
    assert entry.detail["file"] == "parks-equality-analysis.csv"
    xlsx = client.get(reverse("representativeness:equality_analysis_download", args=[analysed_survey.pk, "xlsx"]))
    assert xlsx.status_code == 200


@pytest.mark.parametrize("equality_data", [False, True])
def test_another_teams_survey_is_refused(client, analysed_survey, equality_data):
    client.force_login(staff_member("planner", role="Analyst", equality_data=equality_data, team="Planning"))
    response = client.get(reverse("representativeness:equality_analysis", args=[analysed_survey.pk]))
    assert response.status_code == 403


def _questions(data: dict) -> dict:
    """The protected rows grouped by question (and grid row): {(question, row): [outcome entries]}."""
    grouped: dict = {}
    for outcome in data["questions"]:
        grouped.setdefault((outcome["question"], outcome["row"]), []).append(outcome)
    return grouped


def test_hidden_answer_counts_stay_uncertain_to_an_attacker_solving_the_whole_table(analysed_survey):
    """For every single-answer question and characteristic, the attacker takes every shown count (a shown
    share times its shown respondents gives the count: whole percentages pin it below 100 people), the
    exact number giving each answer among those who stated the characteristic, and that each group's
    answers add up to its respondents, and bounds every hidden count with linear programmes."""
    protected, exact = analysis_json(), analysis_json("--exact")
    exact_questions = _questions(exact)
    checked = 0
    for key, outcomes in _questions(protected).items():
        if outcomes[0]["kind"] == "multiple_choice":
            continue  # options are not exclusive: no row sum across them
        truth = exact_questions[key]
        for index, characteristic in enumerate(outcomes[0]["characteristics"]):
            groups = [g["group"] for g in characteristic["groups"]]
            variables: dict = {}  # ("k", group, answer) or ("n", group) -> column
            known: dict = {}
            for outcome, true_outcome in zip(outcomes, truth, strict=True):
                rows = outcome["characteristics"][index]["groups"]
                true_rows = true_outcome["characteristics"][index]["groups"]
                for row, true_row in zip(rows, true_rows, strict=True):
                    chose = round(true_row["share"] * true_row["respondents"]) if true_row["respondents"] else 0
                    name = ("k", row["group"], outcome["answer"])
                    if row["respondents"] is None:
                        variables.setdefault(name, len(variables))
                        variables.setdefault(("n", row["group"]), len(variables))
                    else:
                        known[name] = round(row["share"] * row["respondents"])
                        known[("n", row["group"])] = row["respondents"]
                        assert abs(known[name] - chose) <= 0.005 * row["respondents"] + 0.5
            hidden_k = [v for v in variables if v[0] == "k"]
            if not hidden_k:
                continue
            for name in list(variables):
                if name[0] == "n" and name in known:
                    del variables[name]
            variables = {name: i for i, name in enumerate(variables)}
            a_eq, b_eq = [], []
            for outcome, true_outcome in zip(outcomes, truth, strict=True):
                answer = outcome["answer"]
                total = sum(
                    round(r["share"] * r["respondents"])
                    for r in true_outcome["characteristics"][index]["groups"]
                    if r["respondents"]
                )
                row_ = [0.0] * len(variables)
                rhs = total
                for group in groups:
                    name = ("k", group, answer)
                    if name in variables:
                        row_[variables[name]] = 1.0
                    else:
                        rhs -= known[name]
                a_eq.append(row_)
                b_eq.append(rhs)
            for group in groups:
                row_ = [0.0] * len(variables)
                rhs = 0.0
                for outcome in outcomes:
                    name = ("k", group, outcome["answer"])
                    if name in variables:
                        row_[variables[name]] = 1.0
                    else:
                        rhs -= known[name]
                n_name = ("n", group)
                if n_name in variables:
                    row_[variables[n_name]] = -1.0
                else:
                    rhs += known[n_name]
                if any(row_):
                    a_eq.append(row_)
                    b_eq.append(rhs)
            for name in hidden_k:
                _, group, answer = name
                true_outcome = next(o for o in truth if o["answer"] == answer)
                true_row = next(r for r in true_outcome["characteristics"][index]["groups"] if r["group"] == group)
                actual = round(true_row["share"] * true_row["respondents"]) if true_row["respondents"] else 0
                bounds = []
                for sense in (1, -1):
                    c = [0.0] * len(variables)
                    c[variables[name]] = sense
                    result = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * len(variables))
                    assert result.status == 0
                    bounds.append(sense * result.fun)
                low, high = bounds
                assert low - 1e-6 <= actual <= high + 1e-6
                if 0 < actual < 10:
                    assert high - low >= 4, (key, characteristic["key"], group, answer, low, high)
                checked += 1
    assert checked > 0


def test_protected_figures_and_their_respondents_count_the_published_snapshot(analysed_survey):

    assert analysis_json()["respondents"] == 1110
    for i in range(3):  # fewer than the ten that refresh the snapshot
        respondent(analysed_survey, f"N{i:07d}", sex="male")
    protected = analysis_json()
    assert protected["respondents"] == 1110  # the live 1,113 would say three people responded since
    assert any("These figures count the 1,110 responses published" in note for note in protected["notes"])
    assert analysis_json("--exact")["respondents"] == 1113


def test_a_refused_page_still_explains_its_flags_with_their_thresholds(client, analysed_survey, settings):
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "DIFFERENCE_MARGIN": 0.15, "Q_THRESHOLD": 0.01}
    url = reverse("representativeness:equality_analysis", args=[analysed_survey.pk])
    sign_in(client, equality_data=True)
    response = client.get(url + "?weighted=on")  # refused: no census baselines to weight to
    assert response.status_code == 400
    page = response.content.decode()
    assert "the whole interval on the difference lies within 15 percentage points either way" in page
    assert "after adjusting (q &lt; 0.01)" in page


@pytest.mark.parametrize("equality_data", [False, True])
def test_sex_and_age_failing_leaves_the_answers_by_group_on_the_page_and_says_why(
    client, analysed_survey, monkeypatch, equality_data
):
    from representativeness.errors import CensusMismatch
    from representativeness.views import equality_analysis as view

    def fails(**kwargs):
        raise CensusMismatch("TS009: answers map to categories the census does not have: ['Intersex, 16 to 24']")

    monkeypatch.setattr(view, "analysis_intersections", fails)
    sign_in(client, equality_data=equality_data)
    response = client.get(reverse("representativeness:equality_analysis", args=[analysed_survey.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" not in page
    assert "Disabled respondents were more likely to select “Toilets”" in page  # the analysis, as ever
    assert "Who answered, by sex and age together" in page
    assert "Sex and age together cannot be compared with the census: " in page
    # The error names a category: only for those who may see equality data.
    assert ("Intersex, 16 to 24" in page) is equality_data
    if not equality_data:
        assert "These figures could not be worked out for the responses so far." in page


def test_a_margin_of_twelve_and_a_half_points_reads_as_such_on_the_page_and_in_the_eqia(
    client, analysed_survey, settings
):
    settings.REPRESENTATIVENESS = {**settings.REPRESENTATIVENESS, "DIFFERENCE_MARGIN": 0.125}
    sign_in(client, equality_data=True)
    page = client.get(reverse("representativeness:equality_analysis", args=[analysed_survey.pk])).content.decode()
    assert "the whole interval on the difference lies within 12.5 percentage points either way" in page
    eqia = client.get(reverse("representativeness:eqia", args=[analysed_survey.pk])).content.decode()
    assert "A difference within 12.5 percentage points either way" in eqia
