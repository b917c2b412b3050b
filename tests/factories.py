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
