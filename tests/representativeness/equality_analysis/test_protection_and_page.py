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
from tests.factories import staff_member

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
        for i in hidden:
            # Unknowns: the hidden groups' respondents, each at least 0, adding up to what the shown leave.
            for sense in (1, -1):
                c = [0.0] * len(hidden)
                c[hidden.index(i)] = sense
                result = linprog(c, A_eq=[[1.0] * len(hidden)], b_eq=[total - shown], bounds=[(0, None)] * len(hidden))
                assert result.status == 0
                if sense == 1:
                    low = result.fun
                else:
                    high = -result.fun
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
