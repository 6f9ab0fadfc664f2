"""A number as a person writes it ("12.5", not the database's "12.50"): common/numbers.py."""

from decimal import Decimal

from django import template

from common.numbers import plain_number as _plain_number

register = template.Library()


@register.filter
def plain_number(value: Decimal | float | int | None) -> str:
    return "" if value is None else _plain_number(value)
