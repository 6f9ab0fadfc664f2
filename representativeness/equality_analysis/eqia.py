"""The Equality Impact Assessment summary: who took part, who answered differently, method and limits.

An officer attaches it to the council's EqIA, so it is meant to be shared: it is built from the
protected figures for everyone, whatever their permissions (small numbers hidden, figures rounded).
The same summary is printed as a page and written as a Word file.
"""

import io
from dataclasses import dataclass, field

from django.conf import settings
from docx import Document
from docx.shared import Mm

from representativeness.disclosure import Audience
from representativeness.equality_analysis.analysis import EqualityAnalysis
from representativeness.equality_analysis.build import equality_analysis_build
from representativeness.equality_analysis.characteristics import mid_sentence
from representativeness.equality_analysis.findings import in_points
from representativeness.errors import ReportError
from representativeness.reports.builder import report_build
from surveys.models import Survey


@dataclass
class EqiaSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass
class EqiaSummary:
    title: str
    survey: Survey
    sections: list[EqiaSection]


def _participation(survey: Survey, area_code: str | None) -> EqiaSection:
    section = EqiaSection("Who took part, compared with the 2021 Census")
    if area_code is None:
        section.paragraphs.append("No census baselines are loaded, so who took part is not compared with the census.")
        return section
    try:
        report = report_build(survey=survey, area_code=area_code, audience=Audience.PROTECTED)
    except ReportError as error:
        section.paragraphs.append(str(error))
        return section
    section.paragraphs.append(
        f"{report.respondents:,} responses, compared with Census 2021 for {report.area_name}. {report.headline}"
    )
    # What the census compared with cannot tell (ages it does not cover, top level only) travels with it.
    section.paragraphs += report.caveats
    for characteristic in [*report.characteristics, *report.intersections]:
        section.bullets.append(f"{characteristic.label}: {report.finding(characteristic)}.")
    return section


def _differences(analysis: EqualityAnalysis) -> list[EqiaSection]:
    differences = EqiaSection("Groups that answered differently")
    if analysis.findings:
        differences.paragraphs.append(
            "Each group was compared with everyone else who answered the same About you question. These "
            "differences are unlikely to be chance after adjusting for every comparison made:"
        )
        differences.bullets += [f.text for f in analysis.findings]
    else:
        differences.paragraphs.append(analysis.without_findings)
    sections = [differences]
    if analysis.too_few_to_tell:
        sections.append(
            EqiaSection(
                "Groups with too few responses to tell",
                paragraphs=[
                    "For these groups there were too few responses, in the group or in the group compared with "
                    "them, to tell whether they answered differently; this is not evidence that they did not:"
                ],
                bullets=list(analysis.too_few_to_tell),
            )
        )
    return sections


def _method(analysis: EqualityAnalysis) -> EqiaSection:
    rule = analysis.rule
    return EqiaSection(
        "Method",
        bullets=[
            "Shares are of the people in a group who answered the question, with 95% Wilson confidence intervals.",
            "Each group is compared with everyone else who answered the same About you question: a chi-square "
            f"test, or Fisher's exact test where an expected count is below {rule.min_expected:g}.",
            "Every comparison is adjusted together for multiple testing (Benjamini-Hochberg); a difference is "
            f"reported when its adjusted q-value is below {rule.q_threshold:g} and its 95% interval excludes zero.",
            "A difference within "
            f"{in_points(rule.margin)} percentage points either way, with confidence, is reported as similar; "
            "anything less certain as too few to tell.",
            "Ethnic group, disability, unpaid care and language are in the census's broad groups; age in bands.",
            *_without_census(analysis),
        ],
    )


def _without_census(analysis: EqualityAnalysis) -> list[str]:
    """Characteristics whose groups are compared with each other but with no census: said plainly."""
    labels = analysis.without_census
    if not labels:
        return []
    named = labels[0] + "".join(
        f"{' and ' if i == len(labels) - 1 else ', '}{mid_sentence(label)}" for i, label in enumerate(labels) if i
    )
    return [
        f"{named} {'have' if len(labels) > 1 else 'has'} no census comparison: each group's answers are compared "
        "with everyone else's, but who took part is not compared with the area's population for "
        f"{'them' if len(labels) > 1 else 'it'}."
    ]


def _limitations(analysis: EqualityAnalysis) -> EqiaSection:
    return EqiaSection(
        "Limitations",
        bullets=[
            "People who respond to a consultation are not a sample of the public: these are the views of those "
            "who took part, not an estimate of what every group in the area thinks.",
            f"To protect the people who answered, counts below {analysis.suppression_threshold} are hidden, "
            "with other figures hidden where they would give one away, and percentages are rounded.",
            "Groups with few responses cannot show a difference even if there is one.",
            "Only closed questions are compared; free-text answers are read separately.",
            *analysis.notes,
        ],
    )


def eqia_build(*, survey: Survey, area_code: str | None) -> EqiaSummary:
    """The summary, protected for sharing whoever asks."""
    analysis = equality_analysis_build(survey=survey, audience=Audience.PROTECTED)
    return EqiaSummary(
        title=f"Equality Impact Assessment: consultation evidence for “{survey.title}”",
        survey=survey,
        sections=[
            _participation(survey, area_code),
            *_differences(analysis),
            _method(analysis),
            _limitations(analysis),
        ],
    )


def eqia_docx(summary: EqiaSummary) -> bytes:
    """The summary as a Word document (python-docx): A4, titled and authored as the council's, in British
    English (python-docx's own template is US Letter, by "python-docx", untitled)."""
    document = Document()
    for page in document.sections:
        page.page_width, page.page_height = Mm(210), Mm(297)
        page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Mm(25)
    properties = document.core_properties
    properties.title = summary.title
    properties.author = properties.last_modified_by = settings.COUNCIL["name"]
    properties.language = "en-GB"
    properties.comments = ""
    document.add_heading(summary.title, level=1)
    for section in summary.sections:
        document.add_heading(section.heading, level=2)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for bullet in section.bullets:
            document.add_paragraph(bullet, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
