"""Every API error as one JSON shape, naming the field at fault:

    {"message": "Enter the survey's title", "errors": [{"field": "title", "message": "Enter the survey's title"}]}

`field` is a dotted path into the request body ("answers.visits", "pages.0.title"), a header name
("Idempotency-Key"), a query parameter, or null when the error is about the request as a whole.
`message` repeats the first error so that a script printing one line prints something useful.
Refusals from the services become errors in this shape in config/api.py (the exception handler),
so views only call services and never translate their errors one by one.
"""

from collections.abc import Iterator
from typing import Any

from rest_framework import exceptions, status


class FieldError(exceptions.APIException):
    """A 400 about one field, raised where a serializer cannot say it (a header, a query parameter)."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, field: str | None, message: str, *, status_code: int | None = None) -> None:
        super().__init__(detail={field or "non_field_errors": [message]})
        if status_code is not None:
            self.status_code = status_code


def _flatten(detail: Any, path: str = "") -> Iterator[tuple[str | None, str]]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = str(key)
            if key in ("non_field_errors", "__all__") or (key == "detail" and not path):
                yield from _flatten(value, path)
            else:
                yield from _flatten(value, f"{path}.{key}" if path else key)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            # A list of messages belongs to the field itself; a list of objects is indexed.
            yield from _flatten(value, path if not isinstance(value, dict | list) else f"{path}.{index}".lstrip("."))
    else:
        yield (path or None, str(detail))


def error_body(detail: Any) -> dict[str, Any]:
    errors = [{"field": field, "message": message} for field, message in _flatten(detail)]
    return {"message": errors[0]["message"] if errors else "", "errors": errors}
