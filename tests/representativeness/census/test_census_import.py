"""Importing: the command, the shipped data, re-imports replacing in place, what is stored."""

from io import StringIO

import pytest
from django.core.management import call_command

from representativeness.census.choices import AreaLevel, CountLevel, PopulationBase, Sex, SourceFormat
from representativeness.models import Area, Baseline, BaselineCount
from representativeness.services import census_shipped_load

pytestmark = pytest.mark.django_db

STOCKPORT = "E08000007"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_census", *args, stdout=out)
    return out.getvalue()


def test_import_stores_areas_baselines_and_counts_as_rows(fixture_path):
    output = _run(str(fixture_path("census2021-ts021-ltla.csv")))
    assert "census2021-ts021-ltla.csv: TS021 for 10 areas (Nomis bulk download)" in output
    stockport = Area.objects.get(code=STOCKPORT)
    assert (stockport.name, stockport.level) == ("Stockport", AreaLevel.LOCAL_AUTHORITY)
    baseline = Baseline.objects.get(area=stockport, table="TS021")
    assert baseline.population_base == PopulationBase.ALL_USUAL_RESIDENTS
    assert baseline.source_file_name == "census2021-ts021-ltla.csv"
    assert baseline.source_format == SourceFormat.NOMIS_BULK
    assert baseline.imported_by is None and baseline.imported_at is not None
    counts = baseline.counts
    assert counts.filter(level=CountLevel.DETAILED).count() == 19
    assert counts.filter(level=CountLevel.BROAD).count() == 5
    assert counts.get(level=CountLevel.DETAILED, category="Pakistani").count == 10_953
    asian = counts.get(level=CountLevel.BROAD, category="Asian, Asian British or Asian Welsh").count
    assert asian == 963 + 2306 + 4433 + 10_953 + 2809  # derived from the detailed counts
    assert counts.get(level=CountLevel.TOTAL).count == 294_770


def test_reimport_replaces_in_place_without_duplicates(fixture_path):
    _run(str(fixture_path("census2021-ts021-ltla.csv")))
    first = Baseline.objects.get(area__code=STOCKPORT, table="TS021")
    rows = BaselineCount.objects.count()
    output = _run(str(fixture_path("ons-custom-ts021-ltla.csv")))
    assert "replacing 10" in output
    again = Baseline.objects.get(area__code=STOCKPORT, table="TS021")
    assert again.pk == first.pk  # anything that refers to the baseline keeps referring to it
    assert again.source_format == SourceFormat.ONS_CUSTOM
    assert again.source_file_name == "ons-custom-ts021-ltla.csv"
    assert again.imported_at > first.imported_at
    assert Baseline.objects.filter(table="TS021").count() == 10
    assert BaselineCount.objects.count() == rows


def test_reimport_with_changed_counts_stores_the_new_counts(tmp_path, fixture_path):
    _run(str(fixture_path("census2021-ts008-ltla.csv")))
    text = fixture_path("census2021-ts008-ltla.csv").read_text(encoding="utf-8")
    changed = tmp_path / "census2021-ts008-ltla.csv"
    changed.write_text(text.replace("294773,151373,143400", "294775,151375,143400"), encoding="utf-8")
    _run(str(changed), "--area", STOCKPORT)
    baseline = Baseline.objects.get(area__code=STOCKPORT, table="TS008")
    assert baseline.counts.get(category="Female").count == 151_375
    assert baseline.counts.get(level=CountLevel.TOTAL).count == 294_775


def test_area_option_imports_only_those_areas(fixture_path):
    output = _run(str(fixture_path("census2021-ts021-ltla.csv")), "--area", STOCKPORT, "E08000009")
    assert "for 2 areas" in output
    assert set(Area.objects.values_list("code", flat=True)) == {STOCKPORT, "E08000009"}


def test_area_option_takes_commas_and_skips_files_without_those_areas(fixture_path, shipped):
    output = _run(
        str(fixture_path("census2021-ts021-ltla.csv")),
        str(shipped("trafford-wards/2021_population_religion_ward_trafford.csv")),
        "--area",
        "e05000819,E08000009",
    )
    assert set(Area.objects.values_list("code", flat=True)) == {"E05000819", "E08000009"}
    assert "Imported 2 files." in output


def test_several_files_at_once(fixture_path):
    output = _run(str(fixture_path("census2021-ts021-ltla.csv")), str(fixture_path("census2021-ts038-ltla.csv")))
    assert "Imported 2 files." in output
    assert Baseline.objects.filter(area__code=STOCKPORT).count() == 2


def test_sex_by_age_is_stored_for_each_sex_with_age_ranges(shipped):
    _run(str(shipped("trafford-wards/2021_population_by_sex_and_age_ward_trafford.csv")))
    baseline = Baseline.objects.get(area__code="E05000819", table="TS009")
    detailed = baseline.counts.filter(level=CountLevel.DETAILED)
    assert detailed.count() == 91 * 3
    assert set(detailed.values_list("sex", flat=True)) == {Sex.ALL, Sex.FEMALE, Sex.MALE}
    top = detailed.get(sex=Sex.ALL, category="Aged 90 years and over")
    assert (top.age_min, top.age_max) == (90, None)
    assert detailed.get(sex=Sex.FEMALE, category="Aged under 1 year").count == 85


def test_load_census_loads_the_shipped_data_and_is_idempotent():
    out = StringIO()
    call_command("load_census", stdout=out)
    assert "Loaded" in out.getvalue()
    snapshot = (Area.objects.count(), Baseline.objects.count(), BaselineCount.objects.count())
    # Every council of England and Wales (six topic summaries), Greater Manchester's with eleven tables.
    assert Area.objects.filter(level=AreaLevel.LOCAL_AUTHORITY).count() == 331
    assert Area.objects.filter(level=AreaLevel.WARD).count() == 21
    greater_manchester = Baseline.objects.filter(area__code__regex=r"^E080000(0[1-9]|10)$")
    assert greater_manchester.count() == 10 * 11
    assert Baseline.objects.filter(area__level=AreaLevel.WARD).count() == 21 * 6
    census_shipped_load()
    assert (Area.objects.count(), Baseline.objects.count(), BaselineCount.objects.count()) == snapshot
    stockport = Baseline.objects.get(area__code=STOCKPORT, table="TS038")
    assert stockport.source_file_name == "greater-manchester/2021_disability_la_gm.csv"
    assert stockport.counts.get(category="Day-to-day activities limited a lot").count == 22_708
