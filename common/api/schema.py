"""The OpenAPI schema says what every endpoint can answer: each operation gets the error responses any
request can meet (bad input, no or wrong credentials, refused by the policy, not found, throttled), in
the one error shape (common/api/errors.py), besides its own."""

from typing import Any

ANY_REQUEST_ERRORS = {
    "400": "The request is not valid: each error names its field.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The access policy refuses it: the message says why.",
    "404": "Nothing at this address (or another survey's object).",
    "429": "Too many requests: try again later.",
}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ANY_REQUEST_ERRORS.items():
                responses.setdefault(code, {"description": description, "content": error})
    return result
