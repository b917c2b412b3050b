"""{% load badges %}{% member_badges member %}: a member's role badges (community.badges), read
from the map kept in the cache — once per request, whatever the number of names on the page."""

from django import template
from django.utils.html import format_html, format_html_join

from community.badges import badges_for

register = template.Library()


@register.simple_tag(takes_context=True)
def member_badges(context, member):
    found = badges_for(member, request=context.get("request"))
    if not found:
        return ""
    return format_html('<span class="role-badges">{}</span>', format_html_join(
        " ", '<span class="badge role role-{}">{}</span>', ((badge.slug, badge.label) for badge in found)))
