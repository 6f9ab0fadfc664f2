"""The paper form, made from the survey definition: read back from the PDF (pdftotext and pypdf), it
has every question, option and routing instruction in order; it is a tagged PDF with real text; large
print is at least 16pt."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from engagement.models import Listing
from engagement.paper.layout import paper_form_build
from engagement.paper.render import LARGE_PRINT, STANDARD, paper_form_pdf
from surveys.equality.services import equality_section_add
from surveys.models import Page
from surveys.selectors import survey_structure_get
from tests.factories import ChoiceFactory, QuestionFactory, survey_with_routing

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = survey_with_routing(title="Parks survey", slug="parks-paper", summary="Tell us about parks.")
    last = Page.objects.get(survey=survey, position=2)
    did = QuestionFactory(page=last, position=2, key="did", text="What did you do?", type="multiple_choice")
    for i, label in enumerate(["Walk", "Play", "Sport"], start=1):
        ChoiceFactory(question=did, position=i, value=label.lower(), label=label)
    ideas = Page.objects.create(survey=survey, position=3, title="Your ideas")
    QuestionFactory(page=ideas, position=1, key="ideas", text="What would make parks better?", type="long_text")
    rate = QuestionFactory(page=ideas, position=2, key="rate", text="Rate the facilities", type="grid")
    for i, label in enumerate(["Good", "Poor"], start=1):
        ChoiceFactory(question=rate, position=i, value=label.lower(), label=label)
    rate.grid_rows.create(position=1, value="paths", label="Paths")
    rate.grid_rows.create(position=2, value="toilets", label="Toilets")
    equality_section_add(survey=survey, keys=["date_of_birth", "sex", "gender_identity"])
    Listing.objects.create(
        survey=survey, return_address="Freepost PARKS\nTown Hall\nSale M33 7ZZ", contact_phone="0161 000 0000"
    )
    return survey


def test_questions_are_numbered_and_routing_is_written_in_words(survey):
    form = paper_form_build(structure=survey_structure_get(survey=survey))
    numbers = {q.spec.key: q.number for q in form.questions}
    assert list(numbers.values()) == list(range(1, 9))
    visit = form.questions[0]
    assert [(o.label, o.go_to) for o in visit.options] == [("Yes", ""), ("No", "go to question 4")]
    assert visit.routing == ["If you answered “No”, go to question 4."]
    assert form.questions[1].only_if == "Only answer questions 2 and 3 if you answered “Yes” to question 1."
    gender = next(q for q in form.questions if q.spec.key.endswith("gender_identity"))
    assert (
        gender.only_if == f"Only answer question {gender.number} if you are aged 16 or over (or did not give your age)."
    )


def _pdftotext(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:  # poppler-utils; pypdf reads it otherwise
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _in_order(text: str, expected: list[str]) -> None:
    flat = " ".join(text.split())
    position = 0
    for item in expected:
        found = flat.find(item, position)
        assert found >= 0, f"{item!r} not found after position {position} in:\n{flat[position : position + 400]}"
        position = found + len(item)


@pytest.mark.parametrize("size", [STANDARD, LARGE_PRINT], ids=lambda s: s.name)
def test_the_pdf_reads_back_every_question_option_and_instruction_in_order(survey, size):
    pdf = paper_form_pdf(survey=survey, size=size)
    text = _pdftotext(pdf)
    structure = survey_structure_get(survey=survey)
    expected = ["Parks survey", "How to fill in this form"]
    for q in paper_form_build(structure=structure).questions:
        if q.only_if:
            expected.append(q.only_if)
        expected.append(f"{q.number}. {q.text}")
        expected.append(q.instruction)
        if q.kind == "grid":
            expected += [o.label for o in q.options] + q.rows
        else:
            expected += [option.label for option in q.options] + q.routing
        if q.why_we_ask:
            expected += ["Why we ask", q.why_we_ask[:40]]
    expected += ["Freepost PARKS", "Town Hall", "Sale M33 7ZZ", "0161 000 0000"]
    _in_order(text, expected)
    # The routing the online journey follows, in the words the paper form uses.
    assert "If you answered “No”, go to question 4." in " ".join(text.split())


def test_the_pdf_is_tagged_with_selectable_text(survey):
    reader = PdfReader(io.BytesIO(paper_form_pdf(survey=survey)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    tags = set()

    def walk(node, depth=0):
        node = node.get_object()
        if "/S" in node:
            tags.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is None or depth > 40:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/TD"} <= tags, tags
    assert "Do you visit parks?" in reader.pages[0].extract_text() + reader.pages[1].extract_text()


def _font_sizes(pdf: bytes) -> list[float]:
    """The size each run of text is drawn at, in points (font size times the text matrix's scale)."""
    sizes = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes.append(round(font_size * scale, 1))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_is_at_least_16pt_and_standard_print_is_smaller(survey):
    large = _font_sizes(paper_form_pdf(survey=survey, size=LARGE_PRINT))
    standard = _font_sizes(paper_form_pdf(survey=survey, size=STANDARD))
    assert min(large) >= 16, sorted(set(large))
    assert min(standard) < 16 and max(standard) < max(large)


def test_a_pdf_is_made_again_only_when_the_form_changes(survey, monkeypatch):
    from engagement.paper import render

    made = []
    real = render.pdf_from_html
    monkeypatch.setattr(render, "pdf_from_html", lambda html: made.append(html) or real(html))
    first = paper_form_pdf(survey=survey)
    assert paper_form_pdf(survey=survey) == first and len(made) == 1
    Listing.objects.filter(survey=survey).update(return_address="New address")
    assert "New address" in _pdftotext(paper_form_pdf(survey=survey)) and len(made) == 2
    paper_form_pdf(survey=survey, size=LARGE_PRINT)
    assert len(made) == 3
