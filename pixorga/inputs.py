"""One parsing path for the values a request carries (ids, numbers, choices, free text).

Whatever arrives — Unicode digits, a 30-digit number, a NUL byte, 10,000 characters — comes out as a
value the database accepts or as None (the caller then answers 404 or ignores the filter).
"""

import re

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

_ASCII_ID = re.compile(r"[0-9]{1,18}")
MAX_TEXT_LENGTH = 100


def parse_id(value):
    """A positive database id, or None. `str.isdigit()` accepts « ² »: this does not."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 2**63 else None
    if not isinstance(value, str) or not _ASCII_ID.fullmatch(value):
        return None
    number = int(value)
    return number or None


def parse_choice(value, choices, default=None):
    """`value` if it is one of `choices` (compared as text), else `default`."""
    for choice in choices:
        if value == str(choice):
            return choice
    return default


def clean_text(value, max_length=MAX_TEXT_LENGTH):
    """Free text of a search box: NUL and other control characters dropped, trimmed, bounded."""
    if not isinstance(value, str):
        return ""
    return "".join(char for char in value if char.isprintable() or char == " ").strip()[:max_length]


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects by id whose values go through `parse_id` before any query: « ² » or a
    30-digit id (which SQLite cannot even compare) is the field's « invalid value » error, never a 500."""

    def clean(self, value):
        for item in value or []:
            if parse_id(item) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super().clean(value)


def safe_next(request, fallback=""):
    """The `next` URL of a form or link when it stays on this site, else `fallback` (a URL, not a view
    name: a « next » of « ² » must never be reversed)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
