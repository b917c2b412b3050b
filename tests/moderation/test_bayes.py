import pytest

from moderation.models import BayesStats, BayesToken
from moderation.spam import bayes
from moderation.spam.text import find_links, fingerprint, fold, tokens

SPAM = ["Gagnez de l'argent facile avec le bitcoin, rendement garanti", "Cheap pills online, no prescription",
        "Crypto trading bot: 300% profit guaranteed"]
HAM = ["Ma roue arrière voile après la sortie de dimanche", "Which lens for street photography at night?",
       "Thanks, the firmware update fixed my keyboard"]


def test_tokens_fold_accents_and_case_so_french_reads_alike():
    assert fold("Déjà VU, Œuvre") == "deja vu, oeuvre"
    assert {"argent", "rendement", "garanti", "argent_facile"} <= tokens("L'ARGENT facile : rendement garanti")
    assert tokens("Écrivez") == tokens("ecrivez")


def test_tokens_carry_links_domains_and_shorteners():
    found = tokens("Look https://www.Shop.example/x and bit.ly/abc")
    assert {"link", "domain:shop.example", "tld:example", "domain:bit.ly", "link:shortener"} <= found
    assert [domain for _url, domain in find_links("(https://a.example/b), www.c.example.")] == ["a.example",
                                                                                            "c.example"]


def test_email_links_are_links_with_the_addresss_domain_but_a_bare_address_is_not():
    text = "Mail [me](mailto:Me@Shop.example?subject=hi), <sales@b.example> or <mailto:c@c.example>; not d@d.example"
    assert sorted(domain for _url, domain in find_links(text)) == ["b.example", "c.example", "shop.example"]
    assert {"link", "domain:shop.example", "domain:b.example"} <= tokens(text)


def test_fingerprint_ignores_spacing_case_and_accents_but_not_short_texts():
    assert fingerprint("Achetez  MAINTENANT des montres de luxe") == fingerprint("achetez maintenant des montres de luxe")
    assert fingerprint("merci !") == ""


def test_without_examples_of_both_classes_it_abstains():
    classifier = bayes.NaiveBayes(bayes.MemoryStore())
    assert classifier.probability("anything") is None
    classifier.learn(SPAM[0], "spam")
    assert classifier.probability("anything at all") is None
    assert not classifier.is_spam(SPAM[0])


@pytest.mark.django_db
def test_it_learns_incrementally_in_the_database():
    classifier = bayes.NaiveBayes()  # the production store
    text = "Bitcoin profit garanti, rendement 300%"
    assert classifier.probability(text) is None
    classifier.learn(SPAM[0], "spam")
    classifier.learn(HAM[0], "ham")
    # A word seen in one text only says nothing yet (MIN_DOCS): one more spam example speaks.
    assert classifier.probability(text) == 0.5
    classifier.learn("Rendement garanti de 300% sur le bitcoin", "spam")
    first = classifier.probability(text)
    assert first > 0.5
    for example in SPAM[1:]:
        classifier.learn(example, "spam")
    classifier.learn("Bitcoin: profit garanti chaque semaine", "spam")
    assert classifier.probability(text) > 0.9
    before_ham = classifier.probability("Which lens for a night walk?")
    for example in HAM[1:]:
        classifier.learn(example, "ham")
    assert classifier.probability("Which lens for a night walk?") < before_ham

    stats = BayesStats.objects.get()
    assert (stats.spam_docs, stats.ham_docs) == (5, 3)
    assert stats.vocabulary == BayesToken.objects.count()
    assert BayesToken.objects.values_list("spam", "ham").get(token="garanti") == (3, 0)


def test_memory_and_database_stores_give_the_same_answer(db):
    memory, database = bayes.NaiveBayes(bayes.MemoryStore()), bayes.NaiveBayes()
    for text, label in [*((t, "spam") for t in SPAM), *((t, "ham") for t in HAM)]:
        memory.learn(text, label)
        database.learn(text, label)
    for text in ["rendement garanti en crypto", "night photography lens"]:
        assert memory.probability(text) == pytest.approx(database.probability(text))


def test_a_bad_label_is_refused():
    with pytest.raises(ValueError):
        bayes.NaiveBayes(bayes.MemoryStore()).learn("x y z", "maybe")
