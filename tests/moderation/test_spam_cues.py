"""cues.read: what a text asks of its reader, in French and in English, with the words that showed it
(the queue shows them to CMs), and the three flags: the thread's own talk, talk about spam, a warning."""

import pytest

from moderation.spam import cues


def found(text):
    return dict(cues.read(text).found)


@pytest.mark.parametrize(("text", "words"), [
    ("Earn $5,000 per week from home", ("$5,000", "per week")),
    ("Gagnez 300 € par jour depuis chez vous", ("300 €", "par jour")),
    ("Send 0.5 BTC, get 20% bonus", ("0.5 btc", "20% bonus")),
    ("Cheapest prices, free shipping", ("cheapest", "free shipping")),
    ("Revenus passifs, argent facile", ("revenus passifs", "argent facile")),
])
def test_money(text, words):
    assert found(text)["money"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("Hurry, limited offer, only 3 left!", ("hurry", "limited offer", "only 3 left")),
    ("Dépêchez-vous, offre limitée, dernière chance", ("depechez", "offre limitee", "derniere chance")),
    ("Réponse en 24h, sans attendre", ("en 24h", "sans attendre")),
])
def test_urgency(text, words):
    assert found(text)["urgency"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("Write to me, +44 7700 900123", ("write to me", "+44 7700 900123")),
    ("Contactez-moi au 06 12 34 56 78", ("contactez-moi", "06 12 34 56 78")),
    ("Écrivez-moi en privé", ("ecrivez-moi", "en prive")),
    ("email joe.doe@mail-box.com", ("joe.doe@mail-box.com",)),
    ("add me snap: julia_2000", ("snap: julia_2000",)),
    ("hmu, or dm me", ("hmu", "dm me")),
])
def test_contact(text, words):
    assert found(text)["contact"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("Click here and order now", ("click here", "order now")),
    ("Cliquez ici et commandez", ("cliquez", "commandez")),
    ("Inscrivez-vous, lien en bio", ("inscrivez-vous", "lien en bio")),
    ("Use my code at checkout, code promo SAVE20", ("use my code", "code promo")),
])
def test_imperative(text, words):
    assert found(text)["imperative"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("Guaranteed results, risk-free", ("guaranteed", "risk-free")),
    ("Résultats garantis, sans risque, satisfait ou remboursé", ("resultats garantis", "sans risque",
                                                                 "satisfait ou rembourse")),
    ("Pills without prescription", ("without prescription",)),
])
def test_promise(text, words):
    assert found(text)["promise"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("We offer the best services, our team of experts", ("we offer", "our team")),
    ("Notre équipe vous accompagne, nos tarifs sont bas", ("notre equipe", "nos tarifs")),
    ("Nous proposons la rédaction de mémoires", ("nous proposons",)),
])
def test_pitch(text, words):
    assert found(text)["pitch"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("Verify your account or your account will be suspended", ("verify your", "account will be suspended")),
    ("Confirmez vos identifiants, votre compte sera bloqué", ("confirmez vos", "compte sera bloque")),
    ("Is this you in the video? Look what they posted", ("is this you", "look what they")),
])
def test_credentials(text, words):
    assert found(text)["credentials"] == words


@pytest.mark.parametrize(("text", "words"), [
    ("Great post, very informative! Thanks for sharing", ("great post", "thanks for sharing")),
    ("Super article, merci pour le partage", ("super article", "merci pour le partage")),
])
def test_flattery(text, words):
    assert found(text)["flattery"] == words


def test_at_most_three_words_per_cue_each_once():
    result = cues.read("Hurry! hurry! HURRY! Act now, last chance, don't miss it, asap")

    assert result.found["urgency"] == ("hurry", "act now", "last chance")
    assert result.has("urgency") and not result.has("money")
    assert result.kinds == 1


@pytest.mark.parametrize("text", [
    "I rode 40 km yesterday with my kids. The weather was nice and we stopped for lunch.",
    "J'ai roulé 40 km hier avec les enfants, il faisait beau et on a pique-niqué au bord du lac.",
    "Set the pressure to 2 bar front and 2.2 bar rear for a 75 kg rider.",
])
def test_a_member_telling_their_day_shows_no_cue(text):
    result = cues.read(text)

    assert result.found == {}
    assert not result.about_spam and not result.warning


@pytest.mark.parametrize("text", [
    "Thanks! Has anyone tried tubeless on a gravel bike?",
    "Merci, je pense que oui.",
    "I think the chain is worn, imo change it",
    "As Marc said, it depends.",
    "My config:\n```\nfoo = 1\n```",
])
def test_the_threads_own_talk_is_conversation(text):
    assert cues.read(text).conversational


def test_selling_is_not_conversation():
    assert not cues.read("Cheap pills, fast shipping, order now").conversational


def test_answering_someone_by_name_is_conversation():
    assert cues.read("@marc yes, 2 bar front is plenty").conversational


def test_an_email_address_is_not_conversation():
    assert not cues.read("Cheap loans, write to joe@mail.com").conversational


def test_an_edit_note_is_conversation():
    assert cues.read("Edit: fixed the typo").conversational


@pytest.mark.parametrize("text", [
    "This is a scam, I reported it",
    "C'est une arnaque, je l'ai signalé",
    "Beware of fake sellers",
    "Méfiez-vous, c'est du phishing",
])
def test_talk_about_spam(text):
    assert cues.read(text).about_spam


@pytest.mark.parametrize("text", [
    "Don't click the link and don't reply",
    "Ne cliquez pas sur ce lien, ne répondez jamais",
    "the site is scam[.]xyz, hxxp://scam.top",
    "Red flags everywhere: ignore it",
])
def test_warnings(text):
    result = cues.read(text)

    assert result.warning
    assert result.about_spam or "scam[.]" in text


def test_a_scam_is_not_a_warning_about_itself():
    result = cues.read("Earn 500 € a day! Contact me, click here")

    assert not result.warning and not result.about_spam
    assert result.kinds == 3
