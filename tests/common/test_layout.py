"""The layout's header and footer are rendered once per process (common/templatetags/layout.py), and
again whenever what they show changes: the values named in the tag, or any setting."""

from django.template import engines

FRAGMENT = "{% load layout %}[{% fixed who %}{{ who }} {{ counter }}{% endfixed %}] {{ counter }}"


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


def test_a_fixed_fragment_is_rendered_once_for_the_same_values(settings):
    template = engines["django"].from_string(FRAGMENT)
    counter = Counter()
    assert template.render({"who": "Trafford", "counter": counter}) == "[Trafford 1] 2"
    assert template.render({"who": "Trafford", "counter": counter}) == "[Trafford 1] 3"  # outside: every time
    assert template.render({"who": "Stoke", "counter": counter}) == "[Stoke 4] 5"
    settings.COUNCIL = {**settings.COUNCIL, "name": "Borsetshire Council"}
    assert template.render({"who": "Trafford", "counter": counter}) == "[Trafford 6] 7"


def test_the_layout_shows_the_council_as_its_settings_say(client, settings):
    assert "Trafford Council" in client.get("/cookies/").content.decode()
    settings.COUNCIL = {**settings.COUNCIL, "name": "Borsetshire Council", "contact_email": "have@borsetshire.gov.uk"}
    page = client.get("/cookies/").content.decode()
    assert "Run by Borsetshire Council" in page and "mailto:have@borsetshire.gov.uk" in page
    assert "Trafford Council" not in page
