"""Officers' census baseline pages: what is loaded, upload a file, check the preview, confirm.

The views only coordinate: reading and checking is census.census_files_parse, storing is
services.baselines_import. The file is checked on upload (to show the preview) and again on
confirmation, from the copy kept on disk, so what is imported passed the same checks.
"""

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from access.policy import Action
from access.views import staff_view
from audit.services import Actor
from representativeness import selectors
from representativeness.census import CensusFileError, CensusIssue, CensusUpload, census_files_parse
from representativeness.census.choices import AreaLevel, Sex
from representativeness.census.parsed import ParsedCensusFile
from representativeness.census.tables import CENSUS_TABLES
from representativeness.forms import BaselineUploadForm
from representativeness.services import (
    baselines_import,
    census_max_bytes,
    pending_upload_discard,
    pending_upload_read,
    pending_upload_save,
    wards_elsewhere,
)

SESSION_KEY = "representativeness_census_upload"
TEMPLATES = "representativeness/baselines"


@staff_view(Action.BASELINE_VIEW)
def baseline_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {
            "baselines": selectors.baseline_list(),
            "composites": selectors.composite_area_list(),
            "tables": CENSUS_TABLES.values(),
        },
    )


def _upload_page(
    request: HttpRequest, form: BaselineUploadForm, issues: list[CensusIssue] | None = None
) -> HttpResponse:
    file_id = form["file"].id_for_label
    errors = [
        {"text": error, "href": f"#{form[field].id_for_label}"}
        for field, field_errors in form.errors.items()
        for error in field_errors
    ]
    errors += [{"text": str(issue), "href": f"#{file_id}"} for issue in issues or []]
    return render(
        request,
        f"{TEMPLATES}/upload.html",
        {
            "form": form,
            "errors": errors,
            "issues": issues or [],
            "max_megabytes": form.max_bytes // (1024 * 1024),
            "tables": CENSUS_TABLES.values(),
        },
    )


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        pending_upload_discard(token=pending["token"])


@staff_view(Action.BASELINE_IMPORT, methods=["GET", "POST"])
def baseline_upload(request: HttpRequest) -> HttpResponse:
    max_bytes = census_max_bytes()
    councils = selectors.council_list()
    if request.method != "POST":
        return _upload_page(request, BaselineUploadForm(max_bytes=max_bytes, councils=councils))
    form = BaselineUploadForm(request.POST, request.FILES, max_bytes=max_bytes, councils=councils)
    if not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    file_name = Path(upload.name or "upload.csv").name
    areas: list[str] = form.cleaned_data["areas"]
    try:
        parsed = census_files_parse(
            uploads=[CensusUpload(file_name=file_name, data=data)], area_codes=areas or None, max_bytes=max_bytes
        )
    except CensusFileError as error:
        return _upload_page(request, form, error.issues)
    council = form.cleaned_data["council"]
    wards = _ward_codes(parsed)
    if wards and council is None:
        form.add_error("council", f"Choose the council these {len(wards)} wards lie in")
    elif wards:
        for issue in wards_elsewhere(council=council, ward_codes=wards):
            form.add_error("council", issue.message)
    if form.errors:
        return _upload_page(request, form)
    _forget_pending(request)
    token = pending_upload_save(data=data)
    request.session[SESSION_KEY] = {
        "token": token,
        "file_name": file_name,
        "areas": areas,
        "council": council.code if wards and council else None,
    }
    return redirect("representativeness:baseline_upload_confirm")


def _ward_codes(parsed_files: list[ParsedCensusFile]) -> list[str]:
    return [area.code for parsed in parsed_files for area in parsed.areas if area.level == AreaLevel.WARD]


def _preview(parsed: ParsedCensusFile) -> dict[str, Any]:
    table = parsed.table
    replacing = selectors.baseline_area_codes_with(table=table.code, area_codes=parsed.area_codes)
    totals = parsed.category_totals(Sex.ALL)
    return {
        "parsed": parsed,
        "table": table,
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "level": area.level.label,
                "total": area.totals[Sex.ALL],
                "replaces": area.code in replacing,
            }
            for area in parsed.areas
        ],
        "replacing": len(replacing),
        "categories": [
            {"label": category, "broad": table.broad[category], "count": count} for category, count in totals.items()
        ],
        "grand_total": sum(area.totals[Sex.ALL] for area in parsed.areas),
        "by_sex": any(Sex.FEMALE in area.counts for area in parsed.areas),
    }


@staff_view(Action.BASELINE_IMPORT, methods=["GET", "POST"])
def baseline_upload_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    data = pending_upload_read(token=pending["token"]) if pending else None
    if not pending or data is None:
        _forget_pending(request)
        messages.info(request, "There is no upload waiting to be confirmed. Upload the file again.")
        return redirect("representativeness:baseline_upload")
    if request.method == "POST" and "cancel" in request.POST:
        _forget_pending(request)
        return redirect("representativeness:baseline_upload")

    max_bytes = census_max_bytes()
    try:
        parsed_files = census_files_parse(
            uploads=[CensusUpload(file_name=pending["file_name"], data=data)],
            area_codes=pending["areas"] or None,
            max_bytes=max_bytes,
        )
    except CensusFileError as error:
        _forget_pending(request)
        form = BaselineUploadForm(max_bytes=max_bytes, councils=selectors.council_list())
        return _upload_page(request, form, error.issues)

    council = selectors.area_get(code=pending["council"]) if pending.get("council") else None
    wards = _ward_codes(parsed_files)
    if request.method == "POST":
        try:
            imported = baselines_import(
                parsed_files=parsed_files,
                actor=Actor.from_request(request),
                ward_council=council.code if council else None,
            )
        except CensusFileError as error:  # a ward placed in another council since the upload: nothing stored
            _forget_pending(request)
            form = BaselineUploadForm(max_bytes=max_bytes, councils=selectors.council_list())
            return _upload_page(request, form, error.issues)
        _forget_pending(request)
        if council and wards:
            messages.success(
                request,
                f"Placed {len(wards)} ward{'' if len(wards) == 1 else 's'} in {council.name}: its surveys now ask "
                "residents to pick one of them.",
            )
        for item in imported:
            count = len(item.area_codes)
            messages.success(
                request,
                f"Imported {item.table} {CENSUS_TABLES[item.table].title} for {count} area{'' if count == 1 else 's'} "
                f"from {item.file_name}"
                + (f", replacing {len(item.replaced)} already loaded" if item.replaced else "")
                + ".",
            )
        return redirect("representativeness:baseline_list")

    return render(
        request, f"{TEMPLATES}/confirm.html", {**_preview(parsed_files[0]), "ward_council": council, "wards": wards}
    )
