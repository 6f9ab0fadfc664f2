from surveys.templatetags.survey_forms import error_prefix, govuk_paragraphs


def test_officer_text_becomes_escaped_govuk_paragraphs():
    html = govuk_paragraphs("First <b>line</b>\nsecond line\n\n\nNew paragraph")
    assert html == (
        '<p class="govuk-body">First &lt;b&gt;line&lt;/b&gt;<br>second line</p><p class="govuk-body">New paragraph</p>'
    )
    assert govuk_paragraphs("") == ""


def test_error_prefix_for_titles():
    assert error_prefix("Your visits", True) == "Error: Your visits"
    assert error_prefix("Your visits", False) == "Your visits"
