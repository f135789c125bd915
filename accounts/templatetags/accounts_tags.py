from django import template

from accounts.invitations import max_age_text

register = template.Library()


@register.simple_tag
def invitation_max_age():
    """« 7 jours »: how long an invitation link stays valid, from the setting, for the documentation."""
    return max_age_text()
