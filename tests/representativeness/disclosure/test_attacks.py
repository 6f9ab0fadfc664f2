"""The attacks of issue #10, replayed through the pages and downloads as an officer without the
equality-data permission. Each shows the attack working on what the exact audience sees (so the test
can tell), and failing on what the officer gets."""

import csv
import io
import re
from itertools import product

import pandas as pd
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from representativeness.census.parse import CensusUpload
from representativeness.disclosure import Audience, Level, family_size, protect_characteristic, protection_for
from representativeness.disclosure.rounding import p_band
from representativeness.disclosure.weighting import PublishedGroups, safe_margins
from representativeness.rules import flag_rule_from_settings
from representativeness.selectors import baseline_category_counts
from representativeness.services.baselines import census_files_import
from representativeness.stats import rake_cells
from representativeness.stats.comparison import compare_report
from representativeness.weighting import weighting_run
from tests.factories import respondent, staff_member
from tests.representativeness.reports.conftest import AREA, RELIGION, add, make_survey
from tests.representativeness.reports.test_census_bases import EW, GM, STOKE, TRAFFORD, _load, _survey

pytestmark = pytest.mark.django_db

RELIGIONS = ["No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh", "Other religion"]
STORED = {"Christian": "christian", "Hindu": "hindu", "Muslim": "muslim", "No religion": "no_religion"}


def download_rows(client, survey) -> list[dict]:
    url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={AREA}"
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def difference(before: list[dict], after: list[dict]) -> dict:
    """What changed between two downloads, cell by cell."""
    return {
        (a["characteristic"], a["category"], field): (a[field], b[field])
        for a, b in zip(before, after, strict=True)
        for field in a
        if a[field] != b[field]
    }


@pytest.mark.parametrize("new", [1, 5, 9])
def test_downloads_before_and_after_a_few_new_responses_are_the_same(client, survey, new):
    """Over time: before, a download taken before and after one response differed by +1 in every cell
    that person answered. Now, until 10 have arrived, every download is the same, to the byte."""
    officer = staff_member("officer")
    client.force_login(officer)
    before = download_rows(client, survey)
    add(survey, new, sex="male", religion="muslim")
    after = download_rows(client, survey)
    assert difference(before, after) == {}

    analyst = staff_member("analyst", equality_data=True)
    client.force_login(analyst)  # the exact audience, on screen, sees the new answers at once
    page = client.get(reverse("representativeness:report", args=[survey.pk]) + f"?area={AREA}")
    muslim = page.text[page.text.index('scope="row" class="govuk-table__header">Muslim') :].split("</tr>")[0]
    assert f">{4 + new}<" in muslim


def test_the_tenth_new_response_refreshes_the_figures_for_ten_people_at_once(client, survey):
    client.force_login(staff_member("officer"))
    before = download_rows(client, survey)
    add(survey, 9, sex="male", religion="christian")
    assert difference(before, download_rows(client, survey)) == {}
    add(survey, 1, sex="female", religion="no_religion")  # the 10th
    after = download_rows(client, survey)
    changed = difference(before, after)
    # The refresh shows the ten together: 9 more men and 1 more woman, and no one person's answers.
    assert changed[("Sex", "Male", "respondents")] == ("50", "59")
    assert changed[("Sex", "Female", "respondents")] == ("150", "151")
    assert changed[("Religion", "Christian", "respondents")] == ("130", "139")


# --- The ten-area weighting equations ---------------------------------------------------------------

TEN_AREAS = [f"E0800009{i}" for i in range(10)]


def _religion_csv() -> str:
    lines = ["area_code,area_name,geography,period,indicator,religion,measure,unit,value"]
    for i, code in enumerate(TEN_AREAS):
        # Each area's census differs, as councils' do: one equation per area.
        counts = {label: RELIGION[label] * (1 + ((i + 3) * (j + 1)) % 7) for j, label in enumerate(RELIGION)}
        lines += [
            f"{code},Area {i},Local authority,2021-03-21,Religious affiliation,{label},Count,Persons,{n}"
            for label, n in counts.items()
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def ten_areas(area):
    census_files_import(uploads=[CensusUpload(file_name="religion10.csv", data=_religion_csv().encode())])
    return TEN_AREAS


def published_effective_size(client, survey, code: str) -> str:
    url = reverse("representativeness:weighting", args=[survey.pk])
    page = client.get(url + f"?area={code}&characteristics=religion&weigh=1")
    assert page.status_code == 200, page.text
    return re.search(r"as precise as (?:about )?([\d,]+) responses", page.text).group(1)


def _census_targets(code: str) -> dict:
    counts = baseline_category_counts(area_code=code, table="TS030", level="detailed")
    return {"religion": counts.drop("Not answered").astype(float).to_dict()}


def splits(total: int, parts: int, low: int = 1, high: int = 9) -> list[tuple[int, ...]]:
    """Every way of writing `total` as `parts` counts from `low` to `high`."""
    return [combo for combo in product(range(low, high + 1), repeat=parts) if sum(combo) == total]


def candidates_left(
    survey,
    published: dict[str, str],
    hidden: dict[str, int | None],
    answered: int,
    audience: Audience,
    min_cell: int | None,
) -> list:
    """The attacker: every split of the hidden religion counts the report leaves possible (they add up to
    what the shown ones leave, each 1 to 9), kept if weighting it the way Chorus does (the code is public)
    reproduces every area's published effective sample size."""
    protection = protection_for(audience=audience, survey=survey)
    shown = {label: n for label, n in hidden.items() if n is not None}
    unknown = [label for label, n in hidden.items() if n is None]
    targets = {code: _census_targets(code) for code in published}
    left = []
    for split in splits(answered - sum(shown.values()), len(unknown)):
        counts = shown | dict(zip(unknown, split, strict=True))
        not_answered = 15  # prefer not to say, skipped, not asked: published
        cells = pd.DataFrame({"religion": [*counts, float("nan")], "respondents": [*counts.values(), not_answered]})
        fits = True
        for code, figure in published.items():
            margins = safe_margins(
                cells,
                targets[code],
                {},
                count="respondents",
                labels={},
                protection=protection,
                published=PublishedGroups(labels={"religion": frozenset(shown)}),  # the report's shown groups
            )
            raked = rake_cells(margins.apply(cells), margins.targets, count="respondents", min_cell=min_cell)
            size = raked.effective_sample_size
            fits = fits and figure == (f"{size:,.0f}" if protection.exact else f"{round(size, -1):,.0f}")
            if not fits:
                break
        if fits:
            left.append(dict(zip(unknown, split, strict=True)))
    return left


def test_ten_areas_of_weighting_no_longer_give_the_hidden_religion_counts(client, survey, ten_areas):
    """Weighting on religion for each of ten councils: each page's effective sample size is one equation
    in the hidden counts; ten of them left one answer. Now the small groups are raked together, the
    size is rounded to 10, and every split of the hidden counts stays possible."""
    add(survey, 2, sex="male", religion="buddhist")
    add(survey, 3, sex="female", religion="sikh")
    add(survey, 11, sex="female", religion="jewish")
    add(survey, 12, sex="male", religion="other")
    Survey = type(survey)
    survey = Survey.objects.get(pk=survey.pk)
    client.force_login(staff_member("officer"))
    rows = download_rows(client, survey)
    religion = {
        r["category"]: (int(r["respondents"]) if r["respondents"] else None)
        for r in rows
        if r["characteristic"] == "Religion"
    }
    assert religion == {
        "No religion": 60,
        "Christian": 130,
        "Buddhist": None,
        "Hindu": None,
        "Jewish": 11,
        "Muslim": None,
        "Sikh": None,
        "Other religion": 12,
    }
    xlsx = client.get(reverse("representativeness:report_download", args=[survey.pk, "xlsx"]) + f"?area={AREA}")
    summary = [[c.value for c in row] for row in load_workbook(io.BytesIO(xlsx.content))["Characteristics"].iter_rows()]
    answered = next(row for row in summary if row[0] == "Religion")[summary[0].index("answered")]
    assert answered == 228
    truth = {"Buddhist": 2, "Hindu": 6, "Muslim": 4, "Sikh": 3}
    protected = {code: published_effective_size(client, survey, code) for code in ten_areas}
    min_cell = django_settings.REPRESENTATIVENESS["WEIGHTING_MIN_CELL"]
    left = candidates_left(survey, protected, religion, answered, Audience.PROTECTED, min_cell)
    assert truth in left and len(left) == len(splits(15, 4))  # every split of the 15 stays possible

    # The attack, on exact weighting that rakes every group however small (as the weighting did when
    # the issue was filed; it now also combines groups under WEIGHTING_MIN_CELL for everyone).
    exact = {}
    for code in ten_areas:
        result = weighting_run(
            survey=survey, area_code=code, characteristics=["religion"], audience=Audience.EXACT, min_cell=1
        )
        exact[code] = re.search(r"as precise as ([\d,]+) responses", " ".join(result.diagnostics())).group(1)
    exact_left = candidates_left(survey, exact, religion, answered, Audience.EXACT, 1)
    assert truth in exact_left and len(exact_left) <= 2  # of 324 splits, two at most


def test_the_weighting_download_rounds_every_figure_and_hides_small_answers(client, survey):
    from surveys.models import Answer, Choice, Page, Question, Response

    page = Page.objects.get(survey=survey, position=1)
    question = Question.objects.create(page=page, position=1, key="q", text="What first?", type="single_choice")
    play = Choice.objects.create(question=question, position=1, value="play", label="Play areas")
    paths = Choice.objects.create(question=question, position=2, value="paths", label="Paths")
    benches = Choice.objects.create(question=question, position=3, value="benches", label="Benches")
    for i, response in enumerate(Response.objects.filter(survey=survey).order_by("reference")):
        Answer.objects.create(
            response=response, question=question, choice=benches if i < 3 else play if i % 2 else paths
        )
    client.force_login(staff_member("analyst", equality_data=True))  # downloads are protected whoever asks
    url = reverse("representativeness:weighting_download", args=[survey.pk, "csv"])
    response = client.get(url + f"?area={AREA}&characteristics=religion&characteristics=sex&weigh=1")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    for row in rows:
        for field in ("unweighted_share", "unweighted_low", "weighted_share", "weighted_low", "weighted_high"):
            if row[field]:
                assert round(float(row[field]) * 100, 9).is_integer(), (row["answer"], field, row[field])
    benches_row = next(r for r in rows if r["answer"] == "Benches")
    assert benches_row["weighted_share"] == "" and benches_row["weighted_low"] == ""  # 3 people's weights
    assert sum(r["weighted_share"] == "" for r in rows) >= 2  # with another answer beside it


# --- Small surveys ---------------------------------------------------------------------------------


def test_a_small_surveys_weighting_page_names_no_empty_or_hidden_group(client, area):
    """With one respondent, "no respondents in ..." listed every other group: their profile."""
    from tests.representativeness.reports.conftest import make_survey

    survey = make_survey("small")
    add(survey, 12, sex="female", religion="christian")
    add(survey, 1, sex="male", religion="muslim")
    client.force_login(staff_member("officer"))
    url = reverse("representativeness:weighting", args=[survey.pk])
    page = client.get(url + f"?area={AREA}&characteristics=religion&characteristics=sex&weigh=1")
    text = page.text
    assert "no respondents" not in text.lower()
    for label in RELIGIONS[2:]:  # the empty and hidden groups
        assert label not in text, label
    assert "did not answer" not in text  # the raking's count of non-respondents

    client.force_login(staff_member("analyst", equality_data=True))
    exact = client.get(url + f"?area={AREA}&characteristics=religion&characteristics=sex&weigh=1").text
    assert "These 13 responses cannot be weighted" in exact  # the exact audience: live figures, its own words


def test_deleting_one_response_withholds_the_figures_instead_of_giving_its_answers_away(client, survey):
    """A response deleted between two downloads would show as -1 in each of its cells: the snapshot
    cannot be counted again without it, so the figures are withheld until 10 changes have built up."""
    from surveys.models import Response

    client.force_login(staff_member("officer"))
    before = download_rows(client, survey)
    Response.objects.filter(survey=survey, equality_profile__religion="muslim").first().delete()
    url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={AREA}"
    withheld = client.get(url)
    assert withheld.status_code == 400 and b"being updated" in withheld.content
    page = client.get(reverse("representativeness:report", args=[survey.pk]) + f"?area={AREA}")
    assert "being updated" in page.text and "Muslim" not in page.text

    for i in range(9):  # the deletion and nine more: ten changes
        respondent(survey, f"D{i:07d}", sex="female", religion="christian")
    after = download_rows(client, survey)
    assert difference(before, after)[("Sex", "Female", "respondents")] == ("150", "159")


# --- The q-value ranks -----------------------------------------------------------------------------


def _consistent_with(published: list[dict], exact: bool) -> list[int]:
    """The attacker: every Muslim count from 1 to 9 (Hindu the rest of the 10 hidden), kept if the
    report's public statistics (Benjamini-Hochberg over the whole report) reproduce every shown row's
    q-value (exact) or q-value band (protected)."""
    census = {
        "sex": baseline_category_counts(area_code=AREA, table="TS008", level="detailed"),
        "religion": baseline_category_counts(area_code=AREA, table="TS030", level="detailed").drop("Not answered"),
    }
    shown = {(row["characteristic"], row["category"]): row for row in published if row["suppressed"] != "yes"}
    left = []
    for muslim in range(1, 10):
        religion = {"No religion": 60, "Christian": 130, "Hindu": 10 - muslim, "Muslim": muslim}
        respondents = {
            "Sex": pd.Series({"Female": 150, "Male": 50}).reindex(census["sex"].index, fill_value=0),
            "Religion": pd.Series(religion).reindex(census["religion"].index, fill_value=0),
        }
        tables = compare_report(
            {"Sex": (respondents["Sex"], census["sex"]), "Religion": (respondents["Religion"], census["religion"])},
            rule=flag_rule_from_settings(),
        )
        fits = True
        for (characteristic, category), row in shown.items():
            q = float(tables[characteristic].loc[category, "q_value"])
            if exact:
                fits = fits and row["q_value"] != "" and abs(float(row["q_value"]) - q) < 1e-12
            else:
                fits = fits and row["q_band"] == p_band(q)
        if fits:
            left.append(muslim)
    return left


def test_q_values_no_longer_rank_the_hidden_rows(client, survey, capsys):
    """Full-precision q-values gave each shown row's rank in the family, which pinned the hidden
    p-values between shown ones. The officer's download has bands only: every split stays possible."""
    client.force_login(staff_member("officer"))
    protected = download_rows(client, survey)
    assert all(row["q_value"] == "" and row["p_value"] == "" for row in protected)
    assert list(range(1, 10)) == _consistent_with(protected, exact=False)

    call_command("representativeness_report", "parks", "--area", AREA, "--format", "csv", "--exact")
    exact = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    left = _consistent_with(exact, exact=True)
    assert 4 in left and len(left) < 9  # the attack, on the exact q-values


# --- Re-running the rule for the second hidden cell ---------------------------------------------------


def test_re_running_the_complement_rule_rules_out_no_count(client, area):
    """With the old public rule ("the smallest other cell"), re-running it on each table consistent with
    the published one ruled most of them out. Chorus's order depends on no count (beyond zero or not),
    so even someone who had the secret key would find every consistent table suppressed the same way."""
    survey = make_survey("lone")
    add(survey, 100, sex="female", religion="no_religion")
    add(survey, 90, sex="male", religion="christian")
    add(survey, 4, sex="female", religion="buddhist")  # a lone small group: it needs a complement
    client.force_login(staff_member("officer"))
    rows = [row for row in download_rows(client, survey) if row["characteristic"] == "Religion"]
    hidden = {row["category"] for row in rows if row["suppressed"] == "yes"}
    assert hidden == {"Buddhist", "No religion"}  # the complement: the smaller share of the default area's census
    census = baseline_category_counts(area_code=AREA, table="TS030", level="detailed").drop("Not answered")
    sex = baseline_category_counts(area_code=AREA, table="TS008", level="detailed")
    protection = protection_for(audience=Audience.PROTECTED, survey=survey)  # the secret key, in the worst case
    rule = flag_rule_from_settings()
    masks = set()
    for buddhist in [b for b in range(1, 104) if min(b, 104 - b) < 10]:  # one of the two is small
        respondents = pd.Series({"Christian": 90, "Buddhist": buddhist, "No religion": 104 - buddhist})
        respondents = respondents.reindex(census.index, fill_value=0)
        female = 100 + 4
        tables = compare_report(
            {
                ("sex", "detailed"): (pd.Series({"Female": female, "Male": 90}), sex),
                ("religion", "detailed"): (respondents, census),
            },
            rule=rule,
        )
        published = protect_characteristic(
            name="religion",
            levels={"detailed": Level(respondents=respondents, census=census, table=tables[("religion", "detailed")])},
            broad_parts=None,
            counts={"asked": 194, "answered": 194, "prefer_not_to_say": 0, "skipped": 0, "not_asked": 0},
            total=194,
            rule=rule,
            family_size=family_size(list(tables.values())),
            protection=protection,
            reference={"detailed": census},  # the default report area's census, as the report chooses by
        )
        table = published.tables["detailed"]
        masks.add(frozenset(table.index[table["suppressed"]]))
    assert masks == {frozenset(hidden)}
    # The old rule would have hidden the smaller of the other two (Christian, 90) whenever Buddhist was
    # the small one, and Buddhist whenever No religion was: the choice said which was small.


# --- Comparing the same table against different areas ---------------------------------------------


def test_comparing_with_other_areas_hides_the_same_cells(client, area, ten_areas):
    """The complement of a lone small count was the group with the smaller share of the compared area's
    census, so an area whose census ranks the other two the other way round hid the other one: Christian
    90 shown against one council, No religion 100 against another, and Buddhist = 194 - 90 - 100 = 4.
    Every area's report now hides the same cells."""
    survey = make_survey("lone")
    add(survey, 100, sex="female", religion="no_religion")
    add(survey, 90, sex="male", religion="christian")
    add(survey, 4, sex="female", religion="buddhist")
    client.force_login(staff_member("officer"))
    shown: set[str] = set()
    hidden_by_area = {}
    for code in [AREA, *ten_areas]:
        url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={code}"
        rows = csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode("utf-8-sig")))
        religion = [r for r in rows if r["characteristic"] == "Religion"]
        shown |= {r["category"] for r in religion if r["respondents"]}
        hidden_by_area[code] = frozenset(r["category"] for r in religion if not r["respondents"])
    assert not {"Christian", "No religion"} <= shown  # never both: with the 194 who answered, Buddhist's 4
    assert len(set(hidden_by_area.values())) == 1, hidden_by_area


def test_an_area_with_only_the_top_level_hides_the_broad_groups_the_detailed_report_hides(client, settings):
    """Stoke-on-Trent's shipped disability census has only the top level, so its report compares the broad
    groups alone. Against Trafford (detailed, the default area) 3 limited a lot and 10 a little hide
    "Disabled" (13 would leave limited a lot between 1 and 3) and with it "Not disabled"; the broad-only table
    used to be suppressed on its own and showed both, so 13 against Stoke-on-Trent and the detailed
    report's rules against Trafford gave limited a lot back to within three values. It now hides the same
    broad groups."""
    settings.COUNCIL = {**settings.COUNCIL, "area_code": TRAFFORD}
    _load(TRAFFORD, GM / "2021_disability_la_gm.csv")
    _load(STOKE, EW / "ts038_disability_toplevel_ltla.csv")
    survey = _survey(["long_term_condition", "disability"], slug="disabled")
    add(survey, 3, long_term_condition="yes", disability="a_lot")
    add(survey, 10, long_term_condition="yes", disability="a_little")
    add(survey, 40, long_term_condition="yes", disability="not_at_all")
    add(survey, 100, long_term_condition="no")
    client.force_login(staff_member("officer"))
    broad = {"Disabled under the Equality Act", "Not disabled under the Equality Act"}
    hidden = {}
    for code in (TRAFFORD, STOKE):
        url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={code}"
        rows = csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode("utf-8-sig")))
        disability = [r for r in rows if r["characteristic"].startswith("Disability")]
        hidden[code] = {r["category"] for r in disability if r["category"] in broad and not r["respondents"]}
        assert {r["category"] for r in disability} >= broad
    assert hidden[TRAFFORD] == broad  # the detailed counts force both broad groups to be hidden
    assert hidden[STOKE] == hidden[TRAFFORD]
