"""The `option_kind` URL converter: "choices" or "rows" (of a grid), in the builder's pages and the API alike.

Registered once, when this module is first imported (Django refuses a converter name registered twice).
"""

from django.urls import register_converter


class OptionKind:
    regex = "choices|rows"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OptionKind, "option_kind")
