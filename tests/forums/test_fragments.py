"""The forum pages' fragments (community.fragments): a post, a topic row and the index are kept in
the cache under a key made of what they show. What members check: an edit, a like, a rename, a new
badge, another reader, another language or a moderator each see the page as it is now, never a
fragment kept for someone else; the forms in kept fragments carry the reader's own CSRF token."""

import re

import pytest
from django.test import Client

from community import fragments
from community import services as community_services
from community.models import User
from forums import services
from tests.factories import ReplyFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_edit_shows_at_once_to_a_member_who_saw_the_post_before(client_for, topic, oliver, member):
    reader = client_for(member)
    assert "I am <strong>Oliver</strong>, hi!" in page_of(reader, topic.get_absolute_url())

    services.edit_post(actor=oliver, post=topic.first_post, body="Now I say **goodbye**.")

    page = page_of(reader, topic.get_absolute_url())
    assert "Now I say <strong>goodbye</strong>." in page and "hi!" not in page
    assert f'href="/forums/p/{topic.first_post.pk}/history/">edited</a>' in page


def test_a_like_shows_on_the_likers_page_and_the_count_on_everyones(client_for, topic, member, oliver):
    liker, author, visitor = client_for(member), client_for(oliver), client_for()
    for client in (liker, author, visitor):
        page_of(client, topic.get_absolute_url())  # every fragment kept

    services.toggle_reaction(actor=member, post=topic.first_post)

    assert "&#9829; Liked" in page_of(liker, topic.get_absolute_url())
    assert "1 like" in page_of(author, topic.get_absolute_url())
    assert "1 like" in page_of(visitor, topic.get_absolute_url())
    assert "Liked" not in page_of(author, topic.get_absolute_url())  # nobody likes their own post


def test_each_reader_gets_the_actions_of_their_own_relation_to_the_post(client_for, topic, oliver, member, cm):
    reply = ReplyFactory(topic=topic, author=member, body="A reply by Maya.")
    pages = {who: page_of(client_for(user), topic.get_absolute_url())
             for who, user in (("maya", member), ("oliver", oliver), ("cm", cm), ("visitor", None))}

    delete_reply = f'action="/forums/p/{reply.pk}/delete/"'
    report_reply = f'href="/moderation/report/forums.post/{reply.pk}/"'
    hide_reply = f'action="/forums/p/{reply.pk}/hide/"'
    assert delete_reply in pages["maya"] and report_reply not in pages["maya"] and hide_reply not in pages["maya"]
    assert report_reply in pages["oliver"] and delete_reply not in pages["oliver"]
    assert hide_reply in pages["cm"] and report_reply in pages["cm"]
    assert "/edit/" not in pages["visitor"] and "/like/" not in pages["visitor"] and "Report" not in pages["visitor"]


def test_a_renamed_author_shows_by_their_new_name(client_for, topic, oliver, member):
    reader = client_for(member)
    assert ">Oliver</a>" in page_of(reader, topic.get_absolute_url())

    community_services.update_profile(actor=oliver, member=oliver, display_name="Oliver Twist", language="en",
                                      bio="", website="", location="")

    assert ">Oliver Twist</a>" in page_of(reader, topic.get_absolute_url())


def test_a_new_role_badge_shows_on_kept_posts(client_for, topic, oliver, member, django_capture_on_commit_callbacks):
    reader = client_for(member)
    assert "role-community-manager" not in page_of(reader, topic.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        oliver.groups.add(*User.groups.field.related_model.objects.filter(name="Community managers"))

    assert "role-community-manager" in page_of(reader, topic.get_absolute_url())


def test_a_french_reader_gets_french_fragments_after_an_english_one(client_for, topic, member, oliver):
    english = client_for(member)
    assert ">Quote</a>" in page_of(english, topic.get_absolute_url())
    french = client_for(UserFactory(username="zoe"))
    french.cookies["django_language"] = "fr"

    page = page_of(french, topic.get_absolute_url())

    assert ">Citer</a>" in page and ">Quote</a>" not in page


def test_the_forms_of_kept_fragments_carry_the_readers_own_token(topic, member, oliver):
    """A fragment is kept with a placeholder: each reader's page has their own working token."""
    for user in (member, UserFactory(username="zoe")):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = page_of(client, topic.get_absolute_url())
        assert fragments.CSRF_SLOT not in page
        like_form = re.search(r'action="(/forums/p/\d+/like/)"[^>]*>\s*<input type="hidden" '
                              r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert like_form is not None

        response = client.post(like_form.group(1), {"csrfmiddlewaretoken": like_form.group(2)})

        assert response.status_code == 302  # a forged or missing token would be 403


def test_member_text_cannot_smuggle_the_token_placeholder(client_for, topic, member):
    ReplyFactory(topic=topic, author=member, body=f"Look: {fragments.CSRF_SLOT} here.")
    reader = client_for(UserFactory(username="zoe"))
    page_of(reader, topic.get_absolute_url())

    page = page_of(reader, topic.get_absolute_url())

    assert f"Look: {fragments.CSRF_SLOT} here." in page


def test_the_topic_list_follows_new_replies_and_the_readers_unread_count(client_for, forum, topic, member, oliver):
    reader = client_for(member)
    page_of(reader, topic.get_absolute_url())  # read to the end
    assert "new</a>" not in page_of(reader, forum.get_absolute_url())

    services.post_reply(actor=oliver, topic=topic, body="Something new.")

    page = page_of(reader, forum.get_absolute_url())
    assert f'href="/forums/t/{topic.pk}/unread/">1 new</a>' in page
    assert '<td class="num">1</td>' in page


def test_the_index_follows_a_new_topic(client_for, forum, topic, member, oliver):
    reader = client_for(member)
    assert "A fresh topic" not in page_of(reader, "/forums/")

    services.create_topic(actor=oliver, forum=forum, title="A fresh topic", body="Hello again.")

    assert "A fresh topic" in page_of(reader, "/forums/")


def test_a_visitor_gets_no_csrf_cookie_from_a_topic_page(client, topic):
    """A visitor's action bars hold no form: the page sets no CSRF cookie (and stays cacheable)."""
    response = client.get(topic.get_absolute_url() + "?nocache")

    assert response.status_code == 200
    assert "csrftoken" not in response.cookies


def test_a_page_whose_fragments_this_process_kept_asks_the_shared_cache_for_none(client, topic, member,
                                                                                   monkeypatch):
    client.force_login(member)  # a member: no page cache in the way

    def main_of_page():  # the CSRF token is masked anew on every response
        page = client.get(topic.get_absolute_url()).content.decode()
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", page.split("<main")[1])

    first = main_of_page()
    asked = []
    real = fragments.cache.get_many
    monkeypatch.setattr(fragments.cache, "get_many", lambda keys: asked.append(keys) or real(keys))

    again = main_of_page()

    def fragments_asked():
        return [key for keys in asked for key in keys if key.startswith("frag:")]

    assert fragments_asked() == [] and again == first
    # Gone from this process (restarted, or the copies expired): read back from the shared cache.
    fragments.clear_local()
    assert main_of_page() == first
    assert fragments_asked()


def test_the_first_level_is_bounded_and_its_copies_expire(monkeypatch):
    monkeypatch.setattr(fragments, "LOCAL_MAX", 3)
    fragments._local_put({f"k{i}": f"<p>{i}</p>" for i in range(5)})
    assert fragments._local_get(["k0", "k1", "k2", "k3", "k4"]) == {"k2": "<p>2</p>", "k3": "<p>3</p>",
                                                                     "k4": "<p>4</p>"}
    monkeypatch.setattr(fragments, "LOCAL_TTL", -1.0)
    fragments._local_put({"old": "<p>old</p>"})
    assert fragments._local_get(["old"]) == {}


def test_the_first_level_is_bounded_in_bytes_too(monkeypatch):
    monkeypatch.setattr(fragments, "LOCAL_MAX_BYTES", 64 * 100)
    fragments._local_put({f"k{i}": "x" * 60 for i in range(200)})
    assert fragments._local_size <= 64 * 100 and len(fragments._local_get([f"k{i}" for i in range(200)])) <= 106
    fragments._local_put({"huge": "x" * 500})  # longer than a 64th of the budget: shared cache only
    assert fragments._local_get(["huge"]) == {}
