"""Template filters for the wiki's shared header and navigation: the permission rules asked with
plain facts (no query), so every template including the header shows the same links."""

from django import template

from community.permissions import can, check_can_edit_page, may_manage_wiki

register = template.Library()


@register.filter
def manages_wiki(user) -> bool:
    """May `user` protect, move, delete pages and patrol edits (community managers)?"""
    return user is not None and may_manage_wiki(user)


@register.filter
def may_edit_page(page, user) -> bool:
    """May `user` save a new revision of `page` (else the Edit tab reads "View source")?"""
    return user is not None and can(check_can_edit_page, user, read_level_needed=page.read_level,
                                    edit_level=page.edit_level, deleted=page.is_deleted)
