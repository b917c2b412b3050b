from community.models import SpamStatus
from forums.services import post_reply
from moderation.models import SpamCheck
from moderation.spam import Sample
from moderation.spam import akismet as akismet_module
from moderation.spam.akismet import AkismetChecker


class FakeTransport:
    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def __call__(self, url, data):
        self.calls.append((url, data))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_without_a_key_akismet_is_not_called(settings):
    settings.AKISMET_API_KEY = ""
    transport = FakeTransport("true")
    assert AkismetChecker(transport=transport).check(Sample(text="hello")).score == 0
    assert transport.calls == []


def test_akismet_true_is_spam_and_false_is_ham(settings):
    settings.AKISMET_API_KEY = "k3y"
    spam = FakeTransport("true")
    contribution = AkismetChecker(transport=spam).check(Sample(text="viagra", kind="forums.post"))
    assert contribution.reasons == ("akismet:spam",) and contribution.score >= 5
    url, data = spam.calls[0]
    assert url == "https://k3y.rest.akismet.com/1.1/comment-check"
    assert data["comment_content"] == "viagra" and data["comment_type"] == "forum-post"
    assert data["blog"] == settings.SITE_URL
    assert AkismetChecker(transport=FakeTransport("false")).check(Sample(text="hi")).reasons == ("akismet:ham",)


def test_akismet_down_abstains_instead_of_failing(settings):
    settings.AKISMET_API_KEY = "k3y"
    contribution = AkismetChecker(transport=FakeTransport(OSError("timed out"))).check(Sample(text="hi"))
    assert (contribution.score, contribution.reasons) == (0.0, ("akismet:unavailable",))


def test_akismet_in_the_pipeline(topic, regular, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.AKISMET_API_KEY = "k3y"
    transport = FakeTransport("true")
    monkeypatch.setattr(akismet_module, "urllib_transport", transport)
    with django_capture_on_commit_callbacks(execute=True):
        post = post_reply(actor=regular, topic=topic, body="A perfectly innocent looking sentence.")
    post.refresh_from_db()
    assert post.spam_status == SpamStatus.SPAM
    assert SpamCheck.objects.get(object_id=post.pk).reasons == ["akismet:spam"]
    assert transport.calls[0][1]["comment_author"] == "regular"
