from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from surveys.templatetags.survey_forms import error_prefix, govuk_paragraphs, summary_list


def test_officer_text_becomes_escaped_govuk_paragraphs():
    html = govuk_paragraphs("First <b>line</b>\nsecond line\n\n\nNew paragraph")
    assert html == (
        '<p class="govuk-body">First &lt;b&gt;line&lt;/b&gt;<br>second line</p><p class="govuk-body">New paragraph</p>'
    )
    assert govuk_paragraphs("") == ""


def test_error_prefix_for_titles():
    assert error_prefix("Your visits", True) == "Error: Your visits"
    assert error_prefix("Your visits", False) == "Your visits"


def test_check_your_answers_lists_answers_as_djangos_filters_would_write_them():
    """The summary list escapes plain text itself (for speed): the same text as conditional_escape and
    linebreaksbr, for markup-like answers, line breaks, and safe or lazy text."""
    lines = [
        'Tom & "Jerry" <b>',
        "first\r\nsecond\rthird",
        mark_safe("<i>kept</i>"),
        gettext_lazy("Not answered"),
        "it's",
    ]
    question = 'Why <b>"here"</b>?'
    html = summary_list([{"question": question, "lines": lines, "change_url": "/s/x/questions/2/?change=1&a=<"}])
    assert '<dd class="govuk-summary-list__value">' + "<br>".join(linebreaksbr(line) for line in lines) in html
    assert f'<dt class="govuk-summary-list__key">{conditional_escape(question)}</dt>' in html
    assert f"> {conditional_escape(question.lower())}</span>" in html
    assert 'href="/s/x/questions/2/?change=1&amp;a=&lt;"' in html
