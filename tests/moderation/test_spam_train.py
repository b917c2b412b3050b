import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from moderation.models import BayesStats, KnownDomain
from moderation.spam import bayes


def write(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


@pytest.mark.django_db
def test_spam_train_teaches_the_database_classifier_and_its_clean_links_become_known(tmp_path):
    corpus = write(tmp_path / "c.jsonl", [
        {"text": "Casino bonus, free spins tonight at https://spin-win.top", "label": "spam"},
        {"text": "Casino free spins bonus, write to me on WhatsApp", "label": "spam"},
        {"text": "My chain squeaks, see https://www.sheldonbrown.com/chains.html", "label": "ham"},
        {"text": "Which chain oil for rain? My chain squeaks", "label": "ham"}])
    out = StringIO()
    call_command("spam_train", str(corpus), stdout=out)
    assert "learned 4 texts" in out.getvalue()
    stats = BayesStats.objects.get()
    assert (stats.spam_docs, stats.ham_docs) == (2, 2)
    assert bayes.NaiveBayes().probability("free spins casino bonus") > 0.9
    assert list(KnownDomain.objects.values_list("domain", flat=True)) == ["sheldonbrown.com"]
    call_command("spam_train", str(corpus), "--reset", stdout=StringIO())
    assert BayesStats.objects.get().spam_docs == 2  # forgotten, then learned once


@pytest.mark.django_db
def test_spam_train_refuses_a_bad_file_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("spam_train", str(tmp_path / "missing.jsonl"))
    assert not BayesStats.objects.exists()
