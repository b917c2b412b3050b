import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from moderation.models import BayesStats

CORPUS = Path(__file__).resolve().parent.parent / "data" / "spam_corpus.jsonl"
HELDOUT = Path(__file__).resolve().parent.parent / "data" / "spam_heldout.jsonl"
LAST_LINE = re.compile(r"^precision=(\d\.\d{3}) recall=(\d\.\d{3}) f1=(\d\.\d{3})$")


def write(path, rows):
    path.write_text("\n".join(json.dumps({"text": text, "label": label}) for text, label in rows) + "\n")
    return path


def run(*args):
    out = StringIO()
    call_command("spam_eval", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.mark.django_db
def test_spam_eval_prints_precision_recall_and_f1_on_its_last_line(tmp_path):
    train = write(tmp_path / "train.jsonl", [("cheap pills online now", "spam"), ("casino bonus free spins", "spam"),
                                             ("my bike chain squeaks", "ham"), ("which lens for portraits", "ham")])
    test = write(tmp_path / "test.jsonl", [("cheap casino pills", "spam"), ("bike lens question", "ham")])
    lines = run("--train", str(train), "--test", str(test))
    assert LAST_LINE.match(lines[-1]), lines
    assert not BayesStats.objects.exists()  # an in-memory model: the database is untouched


def test_the_shipped_corpus_meets_the_targets_on_held_out_data():
    assert sum(1 for _ in CORPUS.open()) >= 400
    precision, recall, _f1 = map(float, LAST_LINE.match(run("--train", str(CORPUS), "--test", str(HELDOUT))[-1])
                                 .groups())
    assert precision >= 0.95 and recall >= 0.90


def test_cross_validation_prints_the_same_last_line():
    lines = run("--cv", "5", str(CORPUS))
    assert LAST_LINE.match(lines[-1]) and lines[1].strip().startswith("fold 1/5")


def test_bad_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "maybe"}\n')
    with pytest.raises(CommandError, match="label must be spam or ham"):
        run("--train", str(bad), "--test", str(bad))
    with pytest.raises(CommandError, match="--train FILE --test FILE"):
        run("--train", str(bad))
