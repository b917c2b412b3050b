import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from community.models import User
from community.services import set_up_member

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = make_password(PASSWORD)  # hash once for the whole run


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = _PASSWORD_HASH
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
