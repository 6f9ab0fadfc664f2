"""Numbers as a person writes them: "12.5" and "12", never "12.50", "12.00" or "1.2E+1"."""

from decimal import Decimal


def plain_number(value: Decimal | float | int, places: int | None = None) -> str:
    """`value` in plain digits without trailing zeros after the point, rounded to `places` decimals if given
    (a Decimal is otherwise written exactly): Decimal("12.50") -> "12.5", 0.125 * 100 -> "12.5" with
    places=2, 15.000000000000002 -> "15" with places=2."""
    text = format(value, "f") if places is None else f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
