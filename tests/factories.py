import functools
import io
import os

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import User
from community.services import set_up_member

PASSWORD = "correct-horse-battery"


@functools.cache
def _password_hash(hashers: tuple) -> str:
    return make_password(PASSWORD)  # hashed once per hasher configuration for the whole run


def password_hash() -> str:
    """PASSWORD hashed with the hasher in use (the unit layer switches to a fast one)."""
    return _password_hash(tuple(settings.PASSWORD_HASHERS))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.LazyFunction(password_hash)
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    trust_level = 1  # established: tests of the new-member limits ask for trust_level=0

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        set_up_member(user=self)
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))
        EmailAddress.objects.get_or_create(user=self, email=self.email,
                                           defaults={"verified": True, "primary": True})


def png_upload(name="avatar.png", *, size=(16, 16), noise=False):
    """A real PNG made with Pillow, as a browser would upload it. With `noise`, the pixels are
    random so that the file does not compress (a 900×900 one weighs about 2.4 MB)."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 80, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- Forums ------------------------------------------------------------------------------------------
# They go through the forum services, so that every counter (topic and post counts, last post,
# positions, read levels) is what the real write paths leave behind.

class ForumFactory(factory.django.DjangoModelFactory):
    """A forum (or, with is_category=True, a category), saved through services.save_forum so that
    read_level follows the parent. `moderators=[user, …]` makes per-forum moderators."""

    class Meta:
        model = "forums.Forum"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    description = factory.LazyAttribute(lambda f: f"All about {f.name.lower()}.")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from forums.services import save_forum

        return save_forum(forum=model_class(*args, **kwargs))

    @factory.post_generation
    def moderators(self, create, extracted, **kwargs):
        if create and extracted:
            self.moderators.add(*extracted)


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic and its opening post, created by forums.services.create_topic (the author must be
    allowed to start a topic in the forum: pass a CM author for a CM-only forum)."""

    class Meta:
        model = "forums.Topic"

    forum = factory.SubFactory(ForumFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Topic number {n}")
    body = factory.Sequence(lambda n: f"The opening post of topic {n}.")

    @classmethod
    def _create(cls, model_class, *, forum, author, title, body):
        from forums.services import create_topic

        return create_topic(actor=author, forum=forum, title=title, body=body)


class ReplyFactory(factory.django.DjangoModelFactory):
    """A reply at the end of a topic, posted by forums.services.post_reply."""

    class Meta:
        model = "forums.Post"

    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Reply number {n}, with something to say.")

    @classmethod
    def _create(cls, model_class, *, topic, author, body):
        from forums.services import post_reply

        return post_reply(actor=author, topic=topic, body=body)
