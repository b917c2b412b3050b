"""The featuring registry (community.featuring) as forums and blogs fill it: a pasted address or id
becomes an item, and an item resolves only while the viewer may read it — never an error."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import PageViewRestriction

from blogs.models import SpacePage
from community import featuring, spaces
from community.models import Visibility
from forums.models import Access, Topic
from forums.services import delete_post
from tests.cm.curation_fixtures import add_post, forum, make_space, topic  # noqa: F401
from tests.factories import ForumFactory, ReplyFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_content_apps_register_spaces_and_pieces():
    names = [kind.name for kind in featuring.kinds()]

    assert names[0] == "blogs.space"  # spaces first
    assert {"forums.topic", "blogs.space", "blogs.post"} <= set(names)
    assert featuring.get("blogs.space").group == featuring.SPACE
    assert featuring.get("forums.topic").group == featuring.PIECE


def test_an_unknown_kind_is_a_programming_error_in_tests():
    from community.registries import NotRegistered

    with pytest.raises(NotRegistered):
        featuring.get("wiki.nothing")


@pytest.mark.parametrize("written", [
    "{id}", "#{id}", "/forums/t/{id}-tubeless-tyres/", "https://tribune.example/forums/t/{id}-tubeless-tyres/?page=2#p3",
    "http://localhost:8000/forums/t/{id}-x/", "forums/t/{id}-tubeless-tyres/", "/forums/t/{id}/unread/",
    "  /forums/t/{id}-tubeless-tyres/  ",
])
def test_a_topic_is_found_by_its_address_or_its_number(topic, written):  # noqa: F811
    assert featuring.lookup("forums.topic", written.format(id=topic.pk)) == topic.pk


def test_a_post_permalink_names_its_topic(topic):  # noqa: F811
    reply = ReplyFactory(topic=topic)

    assert featuring.lookup("forums.topic", f"/forums/p/{reply.pk}/") == topic.pk


@pytest.mark.parametrize("written", ["", "tubeless", "/forums/", "/members/maya/", "javascript:alert(1)",
                                     "/no/such/page/", "ftp://x/forums/t/1-a/", "/forums/t/ 1/", "1 2"])
def test_what_names_no_topic_is_none(topic, written):  # noqa: F811
    assert featuring.lookup("forums.topic", written) is None


def test_spaces_and_posts_are_found_by_their_address_or_their_editor_address(make_space, add_post):  # noqa: F811
    space = make_space(title="Night shift")
    post = add_post(space, "First light")

    assert featuring.lookup("blogs.space", space.url) == space.pk
    assert featuring.lookup("blogs.space", "https://tribune.example" + space.url) == space.pk
    assert featuring.lookup("blogs.post", post.url) == post.pk
    assert featuring.lookup("blogs.post", post.url.rstrip("/")) == post.pk
    assert featuring.lookup("blogs.post", f"/cms/pages/{post.pk}/edit/") == post.pk
    assert featuring.lookup("blogs.post", str(post.pk)) == post.pk
    # The wrong kind of page, or no page.
    assert featuring.lookup("blogs.post", space.url) is None
    assert featuring.lookup("blogs.space", post.url) is None
    assert featuring.lookup("blogs.space", f"/cms/pages/{post.pk}/edit/") is None
    assert featuring.lookup("blogs.post", "/contributors/tags/gravel/") is None
    assert featuring.lookup("blogs.post", "/forums/t/1-x/") is None


def cards(kind, ids, viewer):
    return featuring.resolve_many([(kind, pk) for pk in ids], viewer)


def test_a_topic_resolves_to_a_card_with_its_opening_words(topic, member):  # noqa: F811
    card = cards("forums.topic", [topic.pk], AnonymousUser())[("forums.topic", topic.pk)]

    assert card.title == "Tubeless tyres"
    assert card.url == topic.get_absolute_url()
    assert card.excerpt == "Worth it on gravel? Yes."
    assert card.author == member.name
    assert str(card.kind_label) == "Forum topic"


def test_a_deleted_held_or_unreadable_topic_does_not_resolve(topic, member, cm, db):  # noqa: F811
    private = ForumFactory(name="Members", slug="members", access=Access.MEMBERS)
    members_topic = TopicFactory(forum=private, author=member)
    held = TopicFactory(forum=topic.forum, author=member)
    Topic.objects.filter(pk=held.pk).update(status=Visibility.PENDING)
    withdrawn = TopicFactory(forum=topic.forum, author=member)
    delete_post(actor=member, post=withdrawn.first_post)
    ids = [topic.pk, members_topic.pk, held.pk, withdrawn.pk, 999999]

    assert set(cards("forums.topic", ids, AnonymousUser())) == {("forums.topic", topic.pk)}
    assert set(cards("forums.topic", ids, member)) == {("forums.topic", topic.pk), ("forums.topic", members_topic.pk)}
    # Not even the author or a CM: what is featured is what is public.
    assert ("forums.topic", held.pk) not in cards("forums.topic", ids, cm)


def test_a_post_resolves_while_it_and_its_space_are_public(make_space, add_post):  # noqa: F811
    space = make_space(title="Night shift", kind="podcast")
    post = add_post(space, "Episode one", excerpt="We talk about night rides.")
    other = add_post(space, "Episode two")
    visitor = AnonymousUser()

    card = cards("blogs.post", [post.pk], visitor)[("blogs.post", post.pk)]
    assert (card.title, card.excerpt, card.url, str(card.kind_label)) == (
        "Episode one", "We talk about night rides.", post.url, "Podcast")
    assert card.author == space.space_owner.name

    PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    other.specific.unpublish()
    assert cards("blogs.post", [post.pk, other.pk], visitor) == {}


def test_a_post_of_a_space_taken_offline_or_made_private_does_not_resolve(make_space, add_post, member):  # noqa: F811
    space = make_space(title="Night shift")
    post = add_post(space, "Episode one")
    hidden_space = make_space(title="Quiet corner")
    hidden_post = add_post(hidden_space, "Hush")
    PageViewRestriction.objects.create(page=hidden_space, restriction_type=PageViewRestriction.LOGIN)
    assert set(cards("blogs.post", [post.pk, hidden_post.pk], member)) == {("blogs.post", post.pk)}
    assert set(cards("blogs.space", [space.pk, hidden_space.pk], member)) == {("blogs.space", space.pk)}

    SpacePage.objects.get(pk=space.pk).unpublish()

    assert cards("blogs.post", [post.pk], member) == {}
    assert cards("blogs.space", [space.pk], member) == {}


def test_a_post_held_by_moderation_does_not_resolve(make_space, add_post):  # noqa: F811
    from blogs.models import SpacePostPage

    post = add_post(make_space(), "Spam?")
    SpacePostPage.objects.filter(pk=post.pk).update(status=Visibility.HIDDEN)

    assert cards("blogs.post", [post.pk], AnonymousUser()) == {}


def test_resolving_costs_the_same_for_one_item_and_for_twenty(django_assert_num_queries, forum, member,  # noqa: F811
                                                              make_space, add_post):  # noqa: F811
    topics = [TopicFactory(forum=forum, author=member) for _ in range(20)]
    spaces = [make_space(title=f"Space {n}") for n in range(3)]
    posts = [add_post(spaces[n % 3], f"Post {n}") for n in range(6)]
    visitor = AnonymousUser()
    for size in (1, len(topics)):
        items = ([("forums.topic", t.pk) for t in topics[:size]] + [("blogs.space", s.pk) for s in spaces[:size]]
                 + [("blogs.post", p.pk) for p in posts[:size]])
        featuring.resolve_many(items, visitor)  # (Wagtail's site root paths, cached once)
        # topics: 1; spaces: view restrictions, spaces; posts: view restrictions, posts, their spaces
        with django_assert_num_queries(6):
            assert len(featuring.resolve_many(items, visitor)) == min(size, 20) + min(size, 3) + min(size, 6)


def test_a_paused_space_and_its_posts_do_not_resolve_and_come_back_when_resumed(make_space, add_post, member):  # noqa: F811
    cm = UserFactory(roles=["Community managers"])
    space = make_space(title="Night shift")
    post = add_post(space, "Episode one")

    spaces.pause(actor=cm, space_id=space.pk)

    assert cards("blogs.space", [space.pk], member) == {}
    assert cards("blogs.post", [post.pk], member) == {}
    assert space.pk not in featuring.latest("blogs.space", 10)

    spaces.resume(actor=cm, space_id=space.pk)

    assert set(cards("blogs.space", [space.pk], member)) == {("blogs.space", space.pk)}
