"""The England and Wales topic summaries: every council has baselines from the start; a bad file changes
nothing and says where it is wrong; a council's own download replaces them and is kept on reloading."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from representativeness.census import CensusFileError, CensusUpload, census_files_parse
from representativeness.models import Baseline
from representativeness.selectors import baseline_category_counts, baseline_tables, baseline_total
from representativeness.services import census_files_import, census_shipped_load

pytestmark = pytest.mark.django_db

STOKE = "E06000021"
TRAFFORD = "E08000009"
HEADER = "area_code,area_name,table,category,count\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def stoke_loaded(shipped):
    """Stoke-on-Trent's six tables alone (quicker than every council)."""
    folder = shipped("england-wales/README.md").parent
    census_files_import(
        uploads=[CensusUpload(file_name=p.name, data=p.read_bytes()) for p in sorted(folder.glob("*.csv"))],
        area_codes=[STOKE],
    )


def test_topic_summaries_give_stoke_on_trent_six_tables_with_the_published_counts(shipped):
    uploads = [
        CensusUpload(file_name=name, data=shipped(f"england-wales/{name}").read_bytes())
        for name in ("ts021_ethnic_group_ltla.csv", "ts038_disability_toplevel_ltla.csv", "ts009_sex_totals_ltla.csv")
    ]
    parsed = {file.table.code: file for file in census_files_parse(uploads=uploads)}
    assert set(parsed) == {"TS021", "TS038", "TS008"}  # TS009's sex totals over all ages are the sex table
    assert len(parsed["TS021"].areas) == 331
    census_files_import(uploads=uploads, area_codes=[STOKE])
    # The README beside the files: Stoke-on-Trent's TS021 total is 258,369.
    assert baseline_total(area_code=STOKE, table="TS021") == 258_369
    sex = baseline_category_counts(area_code=STOKE, table="TS008")
    assert sex.to_dict() == {"Female": 129_894, "Male": 128_469}
    disability = baseline_category_counts(area_code=STOKE, table="TS038", level="broad")
    assert disability.to_dict() == {
        "Disabled under the Equality Act": 54_607,
        "Not disabled under the Equality Act": 203_761,
    }
    # Only the top level is published: no detailed categories are made up.
    assert baseline_category_counts(area_code=STOKE, table="TS038", level="detailed").empty


def test_load_census_gives_every_council_baselines_and_greater_manchester_keeps_its_detail():
    call_command("load_census")
    assert baseline_tables(area_code=STOKE) == ["TS007A", "TS008", "TS021", "TS030", "TS038", "TS077"]
    assert baseline_tables(area_code="W06000015")  # Cardiff: Wales too
    # Trafford's detailed disability file, loaded after the top-level summary, is what stays.
    trafford = baseline_category_counts(area_code=TRAFFORD, table="TS038", level="detailed")
    assert len(trafford) == 4
    assert Baseline.objects.get(area__code=TRAFFORD, table="TS038").source_file_name.startswith("greater-manchester/")


def test_a_councils_own_download_replaces_the_summary_and_survives_load_census(tmp_path):
    census_shipped_load()
    own = _write(
        tmp_path,
        "stoke-own-religion.csv",
        HEADER
        + "".join(
            f"{STOKE},Stoke-on-Trent,TS030,Religion: {label},{n}\n"
            for label, n in [
                ("Total: All usual residents", 1000),
                ("No religion", 400),
                ("Christian", 400),
                ("Buddhist", 10),
                ("Hindu", 10),
                ("Jewish", 10),
                ("Muslim", 100),
                ("Sikh", 10),
                ("Other religion", 10),
                ("Not answered", 50),
            ]
        ),
    )
    call_command("import_census", str(own))
    assert baseline_total(area_code=STOKE, table="TS030") == 1000
    census_shipped_load()
    assert baseline_total(area_code=STOKE, table="TS030") == 1000
    assert Baseline.objects.get(area__code=STOKE, table="TS030").source_file_name == "stoke-own-religion.csv"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Disabled under the Equality Act,54607\n"
            f"{STOKE},Stoke-on-Trent,TS030,Religion: Christian,1\n",
            "a topic summary holds one census table; this file names TS030, TS038",
        ),
        (
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Total: All usual residents,258368\n"
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Disabled under the Equality Act,54607\n"
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Not disabled under the Equality Act,2037x61\n",
            "row 4, column 5 ('count'): count '2037x61' is not a whole number",
        ),
        (
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Total: All usual residents,300000\n"
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Disabled under the Equality Act,54607\n"
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Not disabled under the Equality Act,203761\n",
            "the total in E06000021 is 300,000 but its categories add up to 258,368",
        ),
        (
            f"{STOKE},Stoke-on-Trent,TS038,Disability: Disabled under the Equality Act,54607\n",
            "no count for 4 TS038 categories in E06000021",
        ),
    ],
)
def test_a_bad_topic_summary_changes_nothing_and_says_where(tmp_path, snapshot, stoke_loaded, rows, message):
    before = snapshot()
    path = _write(tmp_path, "bad.csv", HEADER + rows)
    with pytest.raises(CommandError) as error:
        call_command("import_census", str(path))
    assert message in str(error.value)
    assert "bad.csv" in str(error.value)
    assert snapshot() == before


def test_a_bad_shipped_file_stops_the_whole_load(tmp_path, snapshot):
    folder = tmp_path / "census" / "england-wales"
    folder.mkdir(parents=True)
    _write(
        folder,
        "good.csv",
        HEADER
        + f"{STOKE},Stoke-on-Trent,TS009,Sex: All persons; Age: Total,3\n"
        + f"{STOKE},Stoke-on-Trent,TS009,Sex: Female; Age: Total,2\n"
        + f"{STOKE},Stoke-on-Trent,TS009,Sex: Male; Age: Total,1\n",
    )
    _write(
        folder,
        "bad.csv",
        HEADER
        + f"{STOKE},Stoke-on-Trent,TS021,Ethnic group: Irish,3\n{STOKE},Stoke-on-Trent,TS021,Ethnic group: Martian,3\n",
    )
    before = snapshot()
    with pytest.raises(CensusFileError) as error:
        census_shipped_load(directory=tmp_path / "census")
    assert "england-wales/bad.csv" in str(error.value.issues[0])
    assert "unknown category 'Martian'" in str(error.value.issues[0])
    assert snapshot() == before
