"""Officers upload a group's equality data and see it against the census; a bad file changes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from representativeness.models import GroupDataset
from tests.factories import TeamFactory, staff_member
from tests.surveys.journey import text

from .conftest import AREA

pytestmark = pytest.mark.django_db
MUSLIM_4 = '>Muslim</th> <td class="govuk-table__cell govuk-table__cell--numeric">4<'

GOOD = (
    "ID,Sex,Religion\n"
    + "".join(f"{i},Female,Christian\n" for i in range(30))
    + "".join(f"{i},M,Muslim\n" for i in range(30, 34))
    + "".join(f"{i},Male,None\n" for i in range(34, 54))
)


def _upload(client, content: str, name: str = "users.csv", **extra):
    team = TeamFactory(name="Parks")
    data = {"title": "Adult social care users", "team": team.pk, "file": SimpleUploadedFile(name, content.encode())}
    return client.post("/officers/datasets/new/", data | extra)


def test_an_officer_uploads_a_file_and_only_its_counts_are_kept(client, area):
    client.force_login(staff_member("officer"))
    response = _upload(client, GOOD)
    dataset = GroupDataset.objects.get()
    assert response["Location"] == f"/officers/datasets/{dataset.pk}/"
    assert dataset.people == 54
    assert dataset.counts["characteristics"]["sex"]["by_category"] == {"Female": 30, "Male": 24}
    # Only the counts and the headings of the columns not used are kept, never a value of those columns.
    assert dataset.counts["columns_not_used"] == ["ID"] and "53" not in str(dataset.counts)
    assert AuditEntry.objects.filter(action="dataset_uploaded", object_id=str(dataset.pk)).exists()
    page = text(client.get(f"/officers/datasets/{dataset.pk}/?area={AREA}"))
    assert "Columns not used: ID." in page  # the confirmation says which columns were left out...
    assert "Columns not used (not equality data this report compares, so left out and not kept): ID." in page
    page = text(client.get(f"/officers/datasets/{dataset.pk}/?area={AREA}"))
    assert "left out and not kept): ID." in page and "Columns not used: ID." not in page  # ...and the page, later
    assert "Adult social care users, compared with the 2021 Census" in page
    assert "54 people, compared with Census 2021 for Testborough" in page
    # The 4 Muslim users are hidden from an officer without the equality-data permission...
    assert MUSLIM_4 not in page
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    page = text(client.get(f"/officers/datasets/{dataset.pk}/?area={AREA}"))
    # ...and shown to an analyst who has it.
    assert MUSLIM_4 in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Sex,Religion\nFemale,Jedi\n", "Row 2, column “Religion”: “Jedi” is not a category of religion"),
        ("Characteristic,Category,Count\nsex,Female,-3\n", "Row 2, column “Count”: The count “-3” is negative"),
        ("Characteristic,Category,Count\nsex,Female,lots\n", "The count “lots” is not a whole number"),
        ("Name,Postcode\nA,M1\n", "No column of equality data"),
        (
            "Characteristic,Category,Count\nSex,Female,99999999999999999999999\n",
            "Row 2, column “Count”: The count “99999999999999999999999” is too large",
        ),
        (
            "Characteristic,Category,Count\nSex,Female,9000000000000000000\nSex,Male,9000000000000000000\n",
            "Row 2, column “Count”: The count “9000000000000000000” is too large",
        ),
        ("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "The file is not a CSV text file"),
    ],
)
def test_a_bad_file_is_refused_naming_row_and_column_and_nothing_is_stored(client, area, content, message):
    client.force_login(staff_member("officer"))
    response = _upload(client, content)
    assert response.status_code == 400
    page = text(response)
    assert "The file cannot be read, and nothing has been saved" in page and message in page
    assert not GroupDataset.objects.exists()
    assert not AuditEntry.objects.filter(action="dataset_uploaded").exists()


def test_an_unknown_label_mapped_on_the_form_is_read(client, area):
    client.force_login(staff_member("officer"))
    _upload(client, "Sex,Religion\nFemale,Jedi\n", mappings="Religion = Jedi = Other religion")
    assert GroupDataset.objects.get().counts["characteristics"]["religion"]["by_category"] == {"Other religion": 1}


def test_another_teams_dataset_is_out_of_reach(client, area):
    client.force_login(staff_member("officer"))
    _upload(client, GOOD)
    dataset = GroupDataset.objects.get()
    planner = Client()  # a browser of their own (the officer's "saved" message is in this one's cookies)
    planner.force_login(staff_member("planner", team="Planning"))
    assert planner.get(f"/officers/datasets/{dataset.pk}/").status_code == 403
    assert "Adult social care users" not in text(planner.get("/officers/datasets/"))


def test_counts_are_deleted_on_schedule(client, area, capsys):
    client.force_login(staff_member("officer"))
    _upload(client, GOOD)
    GroupDataset.objects.update(uploaded_at=timezone.now() - dt.timedelta(days=400))
    call_command("purge_equality_answers", "--days", "365")
    assert "Deleted 1 uploaded group dataset(s) older than 365 days." in capsys.readouterr().out
    assert not GroupDataset.objects.exists()


def _xlsx(rows: list[list[object]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _upload_xlsx(client, rows: list[list[object]]):
    team = TeamFactory(name="Parks")
    upload = SimpleUploadedFile(
        "users.xlsx", _xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return client.post("/officers/datasets/new/", {"title": "Day centre users", "team": team.pk, "file": upload})


def test_an_xlsx_workbook_with_a_row_per_person_gives_the_same_counts_as_the_csv(client, area):
    client.force_login(staff_member("officer"))
    lines = [line.split(",") for line in GOOD.strip().splitlines()]
    rows = [lines[0], *([int(cells[0]), *cells[1:]] for cells in lines[1:])]  # IDs as numbers, as Excel keeps them
    response = _upload_xlsx(client, rows)
    dataset = GroupDataset.objects.get()
    assert response["Location"] == f"/officers/datasets/{dataset.pk}/"
    assert dataset.people == 54 and dataset.file_name == "users.xlsx"
    assert dataset.counts["characteristics"]["sex"]["by_category"] == {"Female": 30, "Male": 24}
    assert dataset.counts["characteristics"]["religion"]["by_category"] == {
        "Christian": 30,
        "Muslim": 4,
        "No religion": 20,
    }


def test_an_xlsx_workbook_of_counts_per_category_with_dates_of_birth_and_numbers_is_read(client, area):
    client.force_login(staff_member("officer"))
    rows = [["Characteristic", "Category", "Count"], ["Sex", "Female", 12], ["Sex", "Male", 8], ["Ethnicity", "A", 20]]
    _upload_xlsx(client, rows)
    dataset = GroupDataset.objects.get()
    assert dataset.people == 20
    assert dataset.counts["characteristics"]["sex"]["by_category"] == {"Female": 12, "Male": 8}
    born = dt.datetime(2010, 5, 1)
    _upload_xlsx(client, [["Date of birth", "Sex"], [born, "F"], [born, "M"]])
    youth = GroupDataset.objects.order_by("-uploaded_at").first()
    assert youth.people == 2 and youth.minimum_age == dt.date.today().year - 2010 - (
        dt.date.today() < dt.date(dt.date.today().year, 5, 1)
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Sex", "Religion"], ["Female", "Jedi"]], "Row 2, column “Religion”: “Jedi” is not a category of religion"),
        (
            [["Characteristic", "Category", "Count"], ["sex", "Female", -3]],
            "Row 2, column “Count”: The count “-3” is negative",
        ),
        (
            [["Characteristic", "Category", "Count"], ["sex", "Female", 2.5]],
            "Row 2, column “Count”: The count “2.5” is not a whole number",
        ),
        ([["Name", "Postcode"], ["A", "M1 1AA"]], "No column of equality data"),
    ],
)
def test_a_bad_xlsx_workbook_is_refused_naming_row_and_column_and_nothing_is_stored(client, area, rows, message):
    client.force_login(staff_member("officer"))
    page = text(_upload_xlsx(client, rows))
    assert "The file cannot be read, and nothing has been saved" in page and message in page
    assert not GroupDataset.objects.exists()


def _sheets(response) -> dict[str, list[tuple]]:
    import io

    import openpyxl

    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_a_datasets_downloads_are_the_surveys_csv_and_xlsx_protected(client, area):
    client.force_login(staff_member("officer"))
    _upload(client, GOOD)
    dataset = GroupDataset.objects.get()
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    page = text(client.get(f"/officers/datasets/{dataset.pk}/?area={AREA}"))
    assert f'/officers/datasets/{dataset.pk}/representativeness.xlsx?area={AREA}"' in page
    sheets = _sheets(client.get(f"/officers/datasets/{dataset.pk}/representativeness.xlsx?area={AREA}"))
    assert list(sheets) == ["Categories", "Characteristics", "About"]
    muslim = next(row for row in sheets["Categories"] if "Muslim" in row)
    assert 4 not in muslim  # protected in files, whoever downloads
    assert sheets["About"][1][:1] == ("headline",)
    csv_rows = b"".join(
        client.get(f"/officers/datasets/{dataset.pk}/representativeness.csv?area={AREA}").streaming_content
    )
    assert b",Muslim,," in csv_rows
    assert AuditEntry.objects.filter(action="downloaded").count() == 2


def _json(response) -> dict:
    import json

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def test_a_datasets_json_download_is_the_commands_json_for_the_same_file(client, area, tmp_path, capsys):
    import json

    client.force_login(staff_member("officer"))
    _upload(client, GOOD)
    dataset = GroupDataset.objects.get()
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    url = f"/officers/datasets/{dataset.pk}/representativeness.json?area={AREA}"
    assert f'{url}"' in text(client.get(f"/officers/datasets/{dataset.pk}/?area={AREA}"))
    downloaded = _json(client.get(url))
    (tmp_path / "users.csv").write_text(GOOD)
    call_command("representativeness_report", "--dataset", str(tmp_path / "users.csv"), "--area", AREA)
    command = json.loads(capsys.readouterr().out)
    # The same layout and figures; only when it was made and what it names differ (a stored dataset, a file).
    # (Complementary cells are ordered by a key per dataset or file; every key hides the same ones here.)
    assert downloaded["survey"] == {"slug": str(dataset.pk), "title": "Adult social care users"}
    assert command["survey"] == {"slug": "users", "title": "users.csv"}
    for data in (downloaded, command):
        del data["generated_at"], data["survey"]
    assert downloaded == command
    # Protected, although an analyst who may see the 4 Muslim users downloaded it.
    muslim = next(r for c in downloaded["characteristics"] for r in c["categories"] if r["category"] == "Muslim")
    assert downloaded["method"]["audience"] == "protected" and muslim["suppressed"] and muslim["respondents"] is None
    entry = AuditEntry.objects.get(action="downloaded")
    assert entry.object_id == str(dataset.pk)
    assert entry.detail["file"] == f"dataset-{dataset.pk}-representativeness-{AREA}.json"


def test_the_readmes_json_layout_names_the_population_downloads():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    section = readme.split("### JSON layout (stable; `layout_version` 1; the figures below are an example)")[1]
    section = section.split("\n## ")[0]
    assert "/officers/datasets/<id>/representativeness.json" in section
    assert "/officers/surveys/<id>/plan/activities/<activity>/profiles/representativeness.json" in section


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "fake.csv cannot be read: The file is not a CSV text file"),
        (
            b"Characteristic,Category,Count\nSex,Female,99999999999999999999999\n",
            "fake.csv cannot be read: Row 2, column “Count”: The count “99999999999999999999999” is too large",
        ),
    ],
)
def test_the_command_refuses_a_bad_file_with_the_pages_message(area, tmp_path, content, message):
    from django.core.management.base import CommandError

    (tmp_path / "fake.csv").write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("representativeness_report", "--dataset", str(tmp_path / "fake.csv"), "--area", AREA)


def test_an_nhs_ethnic_category_code_column_is_read_and_z_not_stated_is_a_non_answer(client, area):
    client.force_login(staff_member("officer"))
    rows = [["Patient", "Ethnic Category Code", "Gender identity"]] + [
        [str(i), code, "x"] for i, code in enumerate(["A", "A", "C", "Z - Not stated", "Not stated", "Z"])
    ]
    assert _upload_xlsx(client, rows).status_code == 302
    ethnic = GroupDataset.objects.get().counts["characteristics"]["ethnic_group"]
    assert sum(ethnic["by_category"].values()) == 3 and ethnic["prefer_not_to_say"] == 3
    page = text(client.get(f"/officers/datasets/{GroupDataset.objects.get().pk}/"))
    assert "left out and not kept): Patient, Gender identity." in page
