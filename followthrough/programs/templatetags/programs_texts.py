"""Program and milestone texts on display: starter texts in the reader's language."""

from django import template

from followthrough.assessments.texts import shown as shown_text

register = template.Library()


@register.filter
def shown(text: str) -> str:
    return shown_text(text)
