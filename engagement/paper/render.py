"""The paper form as a tagged PDF (WeasyPrint), in standard or large print.

Tagged (pdf_tags): headings, lists and tables keep their structure, and the text is real text that
can be selected, searched and read aloud. WeasyPrint is imported here only: it loads Pango.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from engagement.hub.selectors import listing_get
from engagement.paper.layout import paper_form_build
from surveys.models import Survey
from surveys.selectors import survey_structure_get


@dataclass(frozen=True)
class PrintSize:
    name: str
    body_pt: int
    heading_pt: int
    box_mm: int


STANDARD = PrintSize("standard", body_pt=11, heading_pt=16, box_mm=5)
LARGE_PRINT = PrintSize("large print", body_pt=16, heading_pt=22, box_mm=8)


def paper_form_html(*, survey: Survey, size: PrintSize, online_url: str = "") -> str:
    form = paper_form_build(structure=survey_structure_get(survey=survey))
    listing = listing_get(survey=survey)
    return render_to_string(
        "engagement/paper/form.html",
        {
            "survey": survey,
            "form": form,
            "size": size,
            "listing": listing,
            "return_lines": [line for line in (listing.return_address if listing else "").splitlines() if line.strip()],
            "council": settings.COUNCIL,
            "printed_on": timezone.localdate(),
            "online_url": online_url,
        },
    )


# Rendering takes seconds; the page it renders from takes milliseconds. A PDF is kept in the cache
# under a digest of its HTML, so any change to the survey, its listing or the template makes a new one.
PDF_CACHE_SECONDS = 24 * 60 * 60


def paper_form_pdf(*, survey: Survey, size: PrintSize = STANDARD, online_url: str = "") -> bytes:
    html = paper_form_html(survey=survey, size=size, online_url=online_url)
    key = "paper-form:" + hashlib.sha256(html.encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    pdf = pdf_from_html(html)
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)
    assert pdf is not None
    return pdf
