"""CSRF on every form: every template that posts a form carries the token inside that form, no view is
exempt from the check, and a POST without the token is refused with the council's CSRF page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(settings.BASE_DIR)
FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.IGNORECASE | re.DOTALL)
POSTS = re.compile(r"""method\s*=\s*["']?post""", re.IGNORECASE)
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")


def template_files() -> list[Path]:
    """Every template of the project: templates/ and each of our apps' templates/ folders."""
    folders = [ROOT / "templates", *(p for p in ROOT.glob("*/templates") if ".venv" not in p.parts)]
    return sorted(f for folder in folders for f in folder.rglob("*.html"))


def source(name: str) -> str:
    """A template's source by name, as Django finds it (for forms whose body is an include)."""
    template = engines["django"].engine.get_template(name)
    return template.source


def carries_token(body: str) -> bool:
    if "{% csrf_token %}" in body:
        return True
    # A form whose fields come from an included template that holds the token.
    return any("{% csrf_token %}" in source(name) for name in INCLUDE.findall(body))


def test_the_templates_were_found():
    assert len(template_files()) > 50


def test_every_form_that_posts_carries_the_csrf_token():
    missing, forms = [], 0
    for path in template_files():
        for form in FORM.finditer(path.read_text()):
            if not POSTS.search(form.group("attributes")):
                continue
            forms += 1
            if not carries_token(form.group("body")):
                missing.append(f"{path.relative_to(ROOT)}: <form{form.group('attributes')}>")
    assert forms > 25, "fewer POST forms than the site has: is the pattern still right?"
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _checked_by_rest_framework(view) -> bool:
    """REST framework's views are marked exempt, and check CSRF themselves for session sign-ins
    (SessionAuthentication.enforce_csrf); its other sign-ins (tokens) are not sent by browsers on their own."""
    from rest_framework.authentication import BaseAuthentication, SessionAuthentication
    from rest_framework.views import APIView

    cls = getattr(view, "cls", None)
    if not (isinstance(cls, type) and issubclass(cls, APIView)):
        return False
    classes = cls.authentication_classes
    cookie_based = [c for c in classes if issubclass(c, BaseAuthentication) and "Session" in c.__name__]
    return all(issubclass(c, SessionAuthentication) for c in cookie_based)


def test_no_view_is_exempt_from_the_csrf_check():
    from config.errors import api_not_found

    # The API's last address answers a JSON 404 to any method and changes nothing: exempt, so that a
    # script's POST to a wrong address is told where the endpoint is rather than refused for CSRF.
    changes_nothing = {api_not_found}
    exempt = [
        route
        for route, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not _checked_by_rest_framework(view) and view not in changes_nothing
    ]
    assert not exempt, f"views exempt from CSRF: {exempt}"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_a_post_without_the_token_gets_the_councils_csrf_page():
    from django.test import Client

    from tests.factories import SurveyFactory

    survey = SurveyFactory(status="open")
    client = Client(enforce_csrf_checks=True)
    client.get(f"/s/{survey.slug}/")
    page = client.post(f"/s/{survey.slug}/questions/1/", {"action": "continue"})
    assert page.status_code == 403
    assert "start again" in page.content.decode().lower()
