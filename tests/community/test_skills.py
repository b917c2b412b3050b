"""Members declare their skills on their profile (community.skills); the public profile shows them
with a "verified" mark; the directory filters by skill."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.models import MemberSkill, Skill
from community.skills import set_skills
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def skills_of(member):
    return sorted(MemberSkill.objects.filter(user=member).values_list("skill", flat=True))


def test_declaring_keeps_a_verification_and_removing_deletes_it(member, cm):
    set_skills(actor=member, member=member, skills=["podcast", "writing"])
    MemberSkill.objects.filter(user=member, skill="podcast").update(verified_by=cm, verified_at=timezone.now())

    set_skills(actor=member, member=member, skills=["podcast", "video"])

    assert skills_of(member) == ["podcast", "video"]
    assert MemberSkill.objects.get(user=member, skill="podcast").verified_by == cm

    set_skills(actor=member, member=member, skills=["video"])
    set_skills(actor=member, member=member, skills=["podcast", "video"])
    assert MemberSkill.objects.get(user=member, skill="podcast").verified_at is None  # a new declaration


def test_the_same_skills_sent_twice_give_one_row_each(member):
    set_skills(actor=member, member=member, skills=["photo", "photo"])
    set_skills(actor=member, member=member, skills=["photo"])

    assert MemberSkill.objects.filter(user=member).count() == 1


def test_an_unknown_skill_is_refused_and_nothing_changes(member):
    set_skills(actor=member, member=member, skills=["wiki"])

    with pytest.raises(ValidationError):
        set_skills(actor=member, member=member, skills=["juggling"])

    assert skills_of(member) == ["wiki"]


def test_only_the_member_or_staff_declare_their_skills(member, staff):
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        set_skills(actor=other, member=member, skills=["wiki"])
    set_skills(actor=staff, member=member, skills=["wiki"])
    assert skills_of(member) == ["wiki"]


def test_a_silenced_member_cannot_change_their_skills(member):
    member.silenced_until = timezone.now() + timezone.timedelta(days=1)
    member.save()
    with pytest.raises(PermissionDenied):
        set_skills(actor=member, member=member, skills=["wiki"])


def form_data(member, **extra):
    return {"display_name": member.display_name, "language": "", "bio": "", "website": "", "location": "", **extra}


def test_the_profile_form_offers_and_saves_the_skills(member_client, member, cm):
    set_skills(actor=member, member=member, skills=["podcast"])
    MemberSkill.objects.filter(user=member).update(verified_by=cm, verified_at=timezone.now())

    form = member_client.get("/accounts/profile/").content.decode()
    assert 'name="skills" value="podcast"' in form and "checked" in form.split('value="podcast"')[1][:40]
    assert "<legend>My skills</legend>" in form

    response = member_client.post("/accounts/profile/", form_data(member, skills=["podcast", "translation"]))

    assert response.status_code == 302
    assert skills_of(member) == ["podcast", "translation"]
    assert MemberSkill.objects.get(user=member, skill="podcast").verified_by == cm


def test_an_unknown_skill_in_the_form_is_a_400_that_keeps_what_was_typed(member_client, member):
    response = member_client.post("/accounts/profile/", form_data(member, skills=["juggling"], location="Oslo"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert 'value="Oslo"' in response.content.decode()
    assert skills_of(member) == []


def test_the_public_profile_shows_the_skills_with_a_verified_mark(client, member, cm):
    set_skills(actor=member, member=member, skills=["podcast", "video"])
    MemberSkill.objects.filter(user=member, skill="video").update(verified_by=cm, verified_at=timezone.now())

    page = client.get(member.get_absolute_url()).content.decode()

    assert '<li class="skill verified">Video <span class="verified-mark">✓ verified</span></li>' in page
    assert '<li class="skill">Podcasting</li>' in page
    assert page.index("Video") < page.index("Podcasting")  # verified first


def test_the_profile_says_when_no_skill_is_declared(member_client, member):
    assert "You have not declared any skill yet." in member_client.get(member.get_absolute_url()).content.decode()
    member_client.logout()
    assert "No skills declared yet." in member_client.get(member.get_absolute_url()).content.decode()


def test_the_directory_filters_by_skill(client, member):
    podcaster, writer = UserFactory(username="podcaster"), UserFactory(username="writer")
    set_skills(actor=podcaster, member=podcaster, skills=["podcast"])
    set_skills(actor=writer, member=writer, skills=["writing"])

    page = client.get("/members/?skill=podcast").content.decode()

    assert "podcaster" in page and "@writer" not in page and ">Writer<" not in page
    assert '<option value="podcast" selected>' in page
    assert "Podcasting" in page  # the card shows the member's skills


def test_the_directory_keeps_the_skill_in_its_page_links(client):
    for n in range(32):
        user = UserFactory(username=f"voice{n:02d}")
        set_skills(actor=user, member=user, skills=["podcast"])

    page = client.get("/members/?skill=podcast").content.decode()

    assert 'href="?skill=podcast&amp;page=2"' in page


def test_an_unknown_skill_in_the_directory_is_a_clear_400(client, member):
    response = client.get("/members/?skill=juggling")

    assert response.status_code == 400
    assert "“juggling” is not a skill we know" in response.content.decode()


def test_no_member_with_a_skill_says_so(client, member):
    page = client.get("/members/?skill=illustration").content.decode()

    assert f"No member has declared the skill {Skill.ILLUSTRATION.label} yet." in page


@pytest.mark.parametrize("size", [2, 25])
def test_the_filtered_directory_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    for n in range(size):
        user = UserFactory()
        set_skills(actor=user, member=user, skills=["podcast", "video"] if n % 2 else ["podcast"])

    with django_assert_num_queries(3):  # count, page, the page's skills
        response = client.get("/members/?skill=podcast")

    assert response.status_code == 200
