import json
import re
from collections import Counter, defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from moderation.models import BayesStats, KnownDomain, SpamCheck

CORPUS = Path(__file__).resolve().parent.parent / "data" / "spam_corpus.jsonl"
LAST_LINE = re.compile(r"^precision=(\d\.\d{3}) recall=(\d\.\d{3}) f1=(\d\.\d{3})$")


def write(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


def run(*args):
    out = StringIO()
    call_command("spam_eval", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def scores(lines):
    match = LAST_LINE.match(lines[-1])
    assert match, lines[-5:]
    return tuple(map(float, match.groups()))


@pytest.mark.django_db
def test_spam_eval_prints_precision_recall_and_f1_on_its_last_line_and_touches_no_table(tmp_path):
    train = write(tmp_path / "train.jsonl", [
        {"text": "cheap pills online now, no prescription", "label": "spam"},
        {"text": "casino bonus free spins, no deposit", "label": "spam"},
        {"text": "my bike chain squeaks after the rain", "label": "ham"},
        {"text": "which lens for portraits of my kids?", "label": "ham"}])
    test = write(tmp_path / "test.jsonl", [
        {"text": "Cheap pills, write to me on WhatsApp +44 7700 900123, delivery guaranteed", "label": "spam"},
        {"text": "Thanks, the new chain fixed the squeak!", "label": "ham"}])
    lines = run("--train", str(train), "--test", str(test))
    assert scores(lines) == (1.0, 1.0, 1.0)
    assert "the whole pipeline" in lines[0]
    # In-memory: no classifier counts, no checks, no known domains were written.
    assert not BayesStats.objects.exists() and not SpamCheck.objects.exists() and not KnownDomain.objects.exists()


def test_the_shipped_corpus_is_organised_by_family_in_both_languages():
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    assert len(rows) >= 2000
    families = defaultdict(Counter)
    for row in rows:
        families[(row["label"], row["family"])][row["lang"]] += 1
    spam = [family for label, family in families if label == "spam"]
    ham = [family for label, family in families if label == "ham"]
    assert len(spam) >= 20 and len(ham) >= 20
    assert not set(spam) & set(ham)  # a family is one kind of post, of one label
    assert all(langs["fr"] >= 10 and langs["en"] >= 10 for langs in families.values())
    for hard in ("spam-reports", "quoting-spam-warnings", "wiki-patrol-summaries", "site-help-notifications"):
        assert hard in ham
    assert len({row["text"] for row in rows}) == len(rows)


def test_leave_one_family_out_measures_the_whole_pipeline_and_lists_the_misses_by_family():
    lines = run("--lofo", str(CORPUS), "--show", "1")
    precision, recall, _f1 = scores(lines)
    # Spam of a family it never saw (bench/README.md, "Spam checks", has the figures and the targets).
    assert precision >= 0.95 and recall >= 0.90
    text = "\n".join(lines)
    assert "spam let through, by family:" in text and "legitimate posts held, by family:" in text
    assert re.search(r"^  [a-z-]+: \d+/40 (missed|held)$", text, re.M)


def test_the_whole_pipeline_catches_more_unseen_spam_than_the_classifier_alone():
    _p, pipeline_recall, pipeline_f1 = scores(run("--lofo", str(CORPUS), "--show", "0"))
    _p, alone_recall, alone_f1 = scores(run("--lofo", str(CORPUS), "--show", "0", "--classifier-only"))
    assert pipeline_f1 > alone_f1 and pipeline_recall > alone_recall


def test_k_fold_cross_validation_prints_the_same_last_line(tmp_path):
    lines = run("--cv", "5", str(CORPUS), "--show", "0")
    scores(lines)
    assert any(line.strip().startswith("fold 1/5") for line in lines)


def test_bad_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "maybe"}\n')
    with pytest.raises(CommandError, match="label must be spam or ham"):
        run("--train", str(bad), "--test", str(bad))
    with pytest.raises(CommandError, match="--train FILE --test FILE"):
        run("--train", str(bad))
    one_family = write(tmp_path / "one.jsonl", [{"text": "a", "label": "spam", "family": "x"},
                                                {"text": "b", "label": "ham", "family": "x"}])
    with pytest.raises(CommandError, match="two families or more"):
        run("--lofo", str(one_family))
    with pytest.raises(CommandError, match="cannot read"):
        run("--lofo", str(tmp_path / "empty-dir-that-is-missing"))
