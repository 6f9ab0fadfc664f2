"""Writing census baselines and areas.

An import is atomic: every file of a run is read and checked first (see census.parse), then all of
them are written in one transaction, so a problem anywhere leaves the database as it was.
Re-importing an area's table replaces its counts in place, keeping the Baseline row (and anything
that refers to it).
"""

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import Actor, audit_record
from common.rows import new_row, values_insert
from representativeness import selectors
from representativeness.census import CensusFileError, CensusIssue, CensusUpload, census_files_parse
from representativeness.census.choices import AreaLevel, CountLevel
from representativeness.census.parsed import ParsedArea, ParsedCensusFile
from representativeness.census.reading import DEFAULT_MAX_BYTES
from representativeness.census.tables import CensusTable
from representativeness.models import Area, Baseline, BaselineCount

SHIPPED_CENSUS_DIR = Path(settings.BASE_DIR) / "data" / "census"


@dataclass(frozen=True)
class ImportedFile:
    file_name: str
    format_label: str
    table: str
    area_codes: list[str]
    replaced: list[str]  # the areas that already had this table


def census_max_bytes() -> int:
    return int(getattr(settings, "CENSUS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _areas_for(parsed: ParsedCensusFile) -> dict[str, Area]:
    """The file's areas, created or renamed as the file says (one query to find them, bulk writes)."""
    existing = {area.code: area for area in Area.objects.filter(code__in=parsed.area_codes)}
    custom = [code for code, area in existing.items() if area.level == AreaLevel.CUSTOM]
    if custom:
        raise CensusFileError(
            [
                CensusIssue(parsed.file_name, f"{code} is the code of a custom area, which cannot have imported counts")
                for code in custom
            ]
        )
    new = [Area(code=a.code, name=a.name, level=a.level) for a in parsed.areas if a.code not in existing]
    changed = []
    for parsed_area in parsed.areas:
        area = existing.get(parsed_area.code)
        if area and (area.name, area.level) != (parsed_area.name, parsed_area.level):
            area.name, area.level = parsed_area.name, parsed_area.level
            changed.append(area)
    Area.objects.bulk_create(new)
    Area.objects.bulk_update(changed, ["name", "level"])
    # bulk_create sets primary keys on PostgreSQL and SQLite; read them back anyway for other databases.
    return {area.code: area for area in Area.objects.filter(code__in=parsed.area_codes)}


def _count_rows(baseline_id: int, table: CensusTable, parsed: ParsedArea) -> Iterable[list[Any]]:
    """A baseline's counts as new rows' values (common/rows.py): each detailed category, the broad groups
    derived from them and the total, per sex. About 35,000 rows for the shipped files, written without a
    model instance each, which cost more than the row did to insert."""
    for sex, detailed in parsed.counts.items():
        levels = [(CountLevel.DETAILED, detailed)]
        if table.has_groups:
            levels.append((CountLevel.BROAD, parsed.broad_counts(table, sex)))
        for level, counts in levels:
            for position, (category, count) in enumerate(counts.items()):
                low, high = table.age_range(category) or (None, None)
                yield new_row(
                    BaselineCount,
                    baseline_id=baseline_id,
                    level=level,
                    category=category,
                    sex=sex,
                    position=position,
                    age_min=low,
                    age_max=high,
                    count=count,
                )
        yield new_row(
            BaselineCount,
            baseline_id=baseline_id,
            level=CountLevel.TOTAL,
            category="",
            sex=sex,
            position=0,
            count=parsed.totals[sex],
        )


def baseline_import(*, parsed: ParsedCensusFile, user: AbstractBaseUser | None = None) -> ImportedFile:
    """Store (or replace) the baselines of every area in a checked file, in one transaction.

    A replaced baseline keeps its row (and primary key) and gets new counts; a few bulk queries per
    file, not per area, because the shipped data alone is about 240 baselines.
    """
    table = parsed.table
    source = {
        "population_base": table.population_base,
        "source_file_name": parsed.file_name[:255],
        "source_format": parsed.format,
        "imported_at": timezone.now(),
        "imported_by": user if user is not None and user.is_authenticated else None,
    }
    with transaction.atomic():
        areas = _areas_for(parsed)
        existing = {
            baseline.area_id: baseline
            for baseline in Baseline.objects.filter(area__in=areas.values(), table=table.code).select_for_update()
        }
        BaselineCount.objects.filter(baseline__in=list(existing.values())).delete()
        for baseline in existing.values():
            for field, value in source.items():
                setattr(baseline, field, value)
        Baseline.objects.bulk_update(list(existing.values()), list(source))
        Baseline.objects.bulk_create(
            [Baseline(area=area, table=table.code, **source) for area in areas.values() if area.pk not in existing]
        )
        baselines = {
            baseline.area_id: baseline
            for baseline in Baseline.objects.filter(area__in=areas.values(), table=table.code)
        }
        values_insert(
            BaselineCount,
            [
                row
                for parsed_area in parsed.areas
                for row in _count_rows(baselines[areas[parsed_area.code].pk].pk, table, parsed_area)
            ],
        )
    return ImportedFile(
        file_name=parsed.file_name,
        format_label=parsed.format.label,
        table=table.code,
        area_codes=parsed.area_codes,
        replaced=[area.code for area in areas.values() if area.pk in existing],
    )


def baselines_import(
    *, parsed_files: Sequence[ParsedCensusFile], actor: Actor | None = None, ward_council: str | None = None
) -> list[ImportedFile]:
    """Store several checked files together: all of them or, if anything fails, none. Each file is
    recorded in the audit log, as done by `actor` (default: the command line). `ward_council`: the
    council the files' wards lie in (wards_place), recorded in the same transaction."""
    actor = actor or Actor.command()
    with transaction.atomic():
        imported = [baseline_import(parsed=parsed, user=actor.user) for parsed in parsed_files]
        wards = [area.code for parsed in parsed_files for area in parsed.areas if area.level == AreaLevel.WARD]
        if ward_council and wards:
            wards_place(council_code=ward_council, ward_codes=wards)
        for item in imported:
            audit_record(
                actor=actor,
                action=AuditAction.CENSUS_IMPORTED,
                detail={"file": item.file_name, "table": item.table, "areas": len(item.area_codes)},
            )
        return imported


def census_files_import(
    *,
    uploads: Sequence[CensusUpload],
    area_codes: Collection[str] | None = None,
    actor: Actor | None = None,
) -> list[ImportedFile]:
    """Read, check and store census files (the import_census command). CensusFileError changes nothing."""
    parsed = census_files_parse(uploads=uploads, area_codes=area_codes, max_bytes=census_max_bytes())
    return baselines_import(parsed_files=parsed, actor=actor)


# Loaded first, so that the more detailed shipped files (Greater Manchester, its wards) replace them.
EVERY_COUNCIL_DIR = "england-wales"


def _shipped_order(root: Path, path: Path) -> tuple[bool, str]:
    relative = path.relative_to(root)
    return (relative.parts[0] != EVERY_COUNCIL_DIR, str(relative))


def _without_own_downloads(parsed: ParsedCensusFile, shipped_names: set[str]) -> ParsedCensusFile:
    """The file without the areas whose baseline for its table a council imported itself (kept as they are)."""
    own = set(
        Baseline.objects.filter(table=parsed.table.code, area__code__in=parsed.area_codes)
        .exclude(source_file_name__in=shipped_names)
        .values_list("area__code", flat=True)
    )
    return parsed.restricted_to(set(parsed.area_codes) - own) if own else parsed


def census_shipped_load(*, directory: Path | None = None) -> list[ImportedFile]:
    """Load every census file shipped in data/census: the England and Wales topic summaries for every
    council, then the more detailed files, which replace them for their areas. Idempotent: a second run
    replaces like with like, and never a baseline a council imported from its own download."""
    root = directory or SHIPPED_CENSUS_DIR
    paths = sorted(root.rglob("*.csv"), key=lambda path: _shipped_order(root, path))
    if not paths:
        raise CensusFileError([CensusIssue(str(root), "no census files (*.csv) found")])
    uploads = [CensusUpload(file_name=str(path.relative_to(root)), data=path.read_bytes()) for path in paths]
    parsed = census_files_parse(uploads=uploads, max_bytes=census_max_bytes())
    names = {upload.file_name for upload in uploads}
    kept = [file for file in (_without_own_downloads(p, names) for p in parsed) if file.areas]
    lookup = _ward_lookup(root / WARD_COUNCILS_FILE)
    with transaction.atomic():
        imported = baselines_import(parsed_files=kept)
        for council, wards in lookup.items():
            wards_place(council_code=council, ward_codes=wards)
    return imported


# Which council each shipped ward lies in: {council code: [ward codes]}.
WARD_COUNCILS_FILE = "ward_councils.json"


def _ward_lookup(path: Path) -> dict[str, list[str]]:
    if not path.is_file():
        return {}
    try:
        lookup = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise CensusFileError([CensusIssue(path.name, f"not a ward lookup: {error}")]) from None
    if not isinstance(lookup, dict) or not all(
        isinstance(wards, list) and all(isinstance(w, str) for w in wards) for wards in lookup.values()
    ):
        raise CensusFileError([CensusIssue(path.name, "expected {council code: [ward codes]}")])
    return lookup


def wards_place(*, council_code: str, ward_codes: Collection[str]) -> int:
    """Record that these wards lie in the council (so a survey of that council offers them). Both must be
    loaded areas, the council a local authority and each ward a ward; otherwise nothing changes."""
    council = Area.objects.filter(code=council_code.strip().upper()).first()
    if council is None or council.level != AreaLevel.LOCAL_AUTHORITY:
        raise CensusFileError([CensusIssue(council_code, "not a council (local authority) with census baselines")])
    wanted = {code.strip().upper() for code in ward_codes}
    wards = Area.objects.filter(code__in=wanted)
    not_wards = sorted(wanted - set(wards.filter(level=AreaLevel.WARD).values_list("code", flat=True)))
    if not_wards:
        raise CensusFileError(
            [CensusIssue(council_code, f"{code} is not a ward with census baselines") for code in not_wards]
        )
    elsewhere = wards_elsewhere(council=council, ward_codes=wanted)
    if elsewhere:
        raise CensusFileError(elsewhere)
    return wards.update(parent=council)


def wards_elsewhere(*, council: Area, ward_codes: Collection[str]) -> list[CensusIssue]:
    """Wards already placed in another council: a ward lies in one council, so placing it is refused."""
    return [
        CensusIssue(council.code, f"{ward.code} ({ward.name}) is a ward of {ward.parent.name}, not of {council.name}")
        for ward in selectors.wards_in_other_councils(council_code=council.code, ward_codes=ward_codes)
        if ward.parent is not None
    ]


def area_create_composite(*, code: str, name: str, component_codes: Collection[str]) -> Area:
    """A custom area (for example a neighbourhood of several wards) whose baselines are its components' sums."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValueError("A custom area needs a code and a name.")
    wanted = {c.strip().upper() for c in component_codes if c.strip()}
    if len(wanted) < 2:
        raise ValueError("A custom area is made of at least two areas.")
    components = list(Area.objects.filter(code__in=wanted))
    missing = wanted - {a.code for a in components}
    if missing:
        raise ValueError(f"No such area: {', '.join(sorted(missing))}.")
    if any(a.level == AreaLevel.CUSTOM for a in components):
        # Nesting would let an area count twice; define the larger area from the wards directly.
        raise ValueError("A custom area is made of wards or other imported areas, not of other custom areas.")
    if Area.objects.filter(code=code).exists():
        raise ValueError(f"An area with the code {code} already exists.")
    with transaction.atomic():
        area = Area.objects.create(code=code, name=name, level=AreaLevel.CUSTOM)
        area.components.set(components)
    return area


def area_delete_composite(*, code: str) -> None:
    Area.objects.filter(code=code, level=AreaLevel.CUSTOM).delete()


__all__ = [
    "SHIPPED_CENSUS_DIR",
    "ImportedFile",
    "area_create_composite",
    "area_delete_composite",
    "baseline_import",
    "baselines_import",
    "census_files_import",
    "census_max_bytes",
    "census_shipped_load",
    "wards_place",
]
