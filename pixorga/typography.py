"""French typography for templates, loaded as a template builtin (settings.TEMPLATES « builtins »).

- `{{ n }} élève{{ n|plural }}`: French puts 0 and 1 in the singular (« 0 compétence »), unlike
  Django's `pluralize`.
"""

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
