"""{% load content %}: `{{ post.body_html|shown_html }}` and `{{ topic.title|shown }}` apply the
display filters registered with community.content (e.g. censored watched words) at render time."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from community import content

register = template.Library()


@register.filter(is_safe=True)
def shown_html(html):
    """Sanitized HTML (already safe: rendered by community.markup) as it may be shown now."""
    return mark_safe(content.display(str(html or ""), is_html=True))


@register.filter
def shown(text):
    """Plain member text (titles, names) as it may be shown now; still autoescaped afterwards."""
    result = content.display(str(text or ""), is_html=False)
    return mark_safe(result) if isinstance(text, SafeString) else result


@register.filter
def translate_label(label):
    """A label stored in English in a notification's data ("Off-topic"), in the reader's language."""
    return gettext(str(label or ""))
