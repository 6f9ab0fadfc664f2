"""The parts of the page layout that are the same on every page, rendered once per process.

The layout's header and footer (templates/base.html) hold nine `{% static %}` and `{% url %}` tags and
the council's identity: the same text on every page, which rendering worked out again on every request
(about a fifth of a survey page's rendering time). `{% fixed council %}...{% endfixed %}` renders its
content the first time and gives the same text afterwards, for as long as the values named in the tag
(here the council's identity), the URL prefix and the URL configuration stay the same. Any change of
settings (tests change them) renders it again.

Only for content that depends on nothing else: no request, user, form or CSRF token inside.
"""

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString

register = template.Library()

# Goes up whenever a setting changes: every fixed fragment is then rendered again.
_generation = 0


def _settings_changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1


setting_changed.connect(_settings_changed, dispatch_uid="layout-fixed-fragments")


def settings_generation() -> int:
    """A number that changes whenever a setting does: part of the key of markup kept between requests."""
    return _generation


class FixedNode(template.Node):
    def __init__(self, nodelist: NodeList, variables: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.variables = variables
        # (generation, prefix, urlconf, autoescape, repr of each variable's value) -> the text
        self.rendered: dict[tuple[Any, ...], SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        values = tuple(repr(variable.resolve(context)) for variable in self.variables)
        key = (_generation, get_script_prefix(), get_urlconf(), context.autoescape, values)
        text = self.rendered.get(key)
        if text is None:
            text = self.nodelist.render(context)
            if len(self.rendered) > 16:  # settings changed (tests): keep only the current ones
                self.rendered.clear()
            self.rendered[key] = text
        return text


@register.tag
def fixed(parser: Parser, token: Token) -> FixedNode:
    """{% fixed var1 var2 %}...{% endfixed %}: the content, rendered once for these values."""
    variables = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist, variables)
