"""The wiki's URLs for tests/test_methods.py (wiki:index is in the main lists)."""

PAGES = {"wiki:page", "wiki:wanted", "wiki:recent", "wiki:recent_feed", "wiki:contributions", "wiki:watchlist",
         "wiki:patrol", "wiki:links_here", "wiki:history", "wiki:revision", "wiki:diff", "wiki:log"}
FORMS = {"wiki:new", "wiki:edit", "wiki:revert", "wiki:protect", "wiki:move", "wiki:delete", "wiki:undelete",
         "wiki:discuss"}
ACTIONS = {"wiki:patrol_revision", "wiki:watch"}


def extend(world):
    """A root page and a guide under it, edited twice."""
    from wiki.services.editing import create_page, save_revision

    root = create_page(actor=world["cm"], parent=None, title="Home", body="Welcome to the wiki.").page
    guide = create_page(actor=world["member"], parent=root, title="Guide", body="First words.")
    second = save_revision(actor=world["member"], page=guide.page, body="First words.\n\nMore.", base=1)
    return {"wiki_page": guide.page, "samples": {"path": guide.page.path, "number": 1, "revision_id": second.pk}}
