"""French typography for templates, loaded as a template builtin (settings.TEMPLATES « builtins »).

- `{{ n }} élève{{ n|plural }}`: French puts 0 and 1 in the singular (« 0 compétence »), unlike
  Django's `pluralize`.
- `french_spacing(text)`: the non-breaking spaces of a text built in Python (the API's messages).
"""

import re

from django import template

register = template.Library()


@register.filter
def plural(count, suffixes="s"):
    """`""` for 0 and 1, `"s"` above; `"al,aux"` gives the singular and plural endings explicitly."""
    singular, _, many = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        return singular if abs(int(count)) <= 1 else many
    except (TypeError, ValueError):
        return singular


_SPACE_BEFORE_HIGH_PUNCTUATION = re.compile(r" (?=[:;!?»])")
_SPACE_AFTER_OPENING_GUILLEMET = re.compile(r"(?<=«) ")


def french_spacing(text):
    """A non-breaking space (U+00A0) before « : ; ! ? » and inside the guillemets, where `text` has a
    plain one."""
    text = _SPACE_BEFORE_HIGH_PUNCTUATION.sub("\u00a0", text)
    return _SPACE_AFTER_OPENING_GUILLEMET.sub("\u00a0", text)
