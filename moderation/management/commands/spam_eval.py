"""Measure the spam checks on labelled JSON lines ({"text": …, "label": "spam"|"ham", "family": …}).

    manage.py spam_eval --lofo tests/data/spam_corpus.jsonl        # leave one family out
    manage.py spam_eval --train tests/data/spam_corpus.jsonl --test other.jsonl
    manage.py spam_eval --cv 10 tests/data/spam_corpus.jsonl
    manage.py spam_eval --lofo tests/data/spam_corpus.jsonl --classifier-only

By default each test text is judged as production judges a new member's post: the whole pipeline
(moderation.spam.evaluation). --classifier-only measures the naive-Bayes verdict alone. Files may be
directories of .jsonl files. Nothing touches the database. The misses are listed by family, and the
last line is always `precision=… recall=… f1=…` (spam is the positive class).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from moderation.spam import evaluation


class Command(BaseCommand):
    help = "Measure the spam checks (the whole pipeline, or --classifier-only) on labelled JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="with --cv or --lofo: the labelled file (or directory)")
        parser.add_argument("--train", help="labelled JSON-lines file (or directory) to train on")
        parser.add_argument("--test", help="labelled JSON-lines file (or directory) to measure on")
        parser.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on one file")
        parser.add_argument("--lofo", action="store_true",
                            help="leave-one-family-out cross-validation on one file (rows need a family)")
        parser.add_argument("--seed", type=int, default=5, help="shuffle seed for --cv (default 5)")
        parser.add_argument("--classifier-only", action="store_true",
                            help="measure the naive-Bayes classifier alone, not the whole pipeline")
        parser.add_argument("--show", type=int, default=2, metavar="N",
                            help="print up to N missed texts per family (default 2)")

    def handle(self, *args, **options):
        judge = evaluation.Judge(classifier_only=options["classifier_only"])
        what = "the classifier alone" if options["classifier_only"] else "the whole pipeline, as a new member's post"
        try:
            result = self.run(judge, options, what)
        except evaluation.CorpusError as exc:
            raise CommandError(str(exc)) from exc
        self.print_misses(result, options["show"])
        self.stdout.write("tp={tp} fp={fp} fn={fn} tn={tn}".format(**{key: result.counts[key]
                                                                       for key in ("tp", "fp", "fn", "tn")}))
        precision, recall, f1 = result.scores()
        self.stdout.write(f"precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}")

    def run(self, judge, options, what) -> evaluation.Result:
        if options["cv"] or options["lofo"]:
            path = options["file"] or options["train"]
            if not path or options["test"] or (options["cv"] and options["lofo"]):
                raise CommandError("--cv K and --lofo take one file: spam_eval --lofo FILE")
            rows = evaluation.load(path)
            self.stdout.write(f"{len(rows)} texts ({self.mix(rows)}), {len(evaluation.families(rows))} families; "
                              f"measuring {what}")
            if options["lofo"]:
                return evaluation.leave_one_family_out(rows, judge, report=self.report)
            return evaluation.k_fold(rows, judge, options["cv"], options["seed"], report=self.report)
        if not (options["train"] and options["test"]):
            raise CommandError("give --train FILE --test FILE, --lofo FILE or --cv K FILE")
        train, test = evaluation.load(options["train"]), evaluation.load(options["test"])
        judge.train(train)
        self.stdout.write(f"trained on {len(train)} ({self.mix(train)}), tested on {len(test)} ({self.mix(test)}); "
                          f"measuring {what}")
        return judge.test(test, evaluation.Result())

    def report(self, name, fold) -> None:
        precision, recall, _f1 = fold.scores()
        wrong = sum(counter["wrong"] for counter in fold.by_family.values())
        total = sum(counter["n"] for counter in fold.by_family.values())
        self.stdout.write(f"  {name}: {total - wrong}/{total} right")

    def print_misses(self, result, show) -> None:
        spam = {family: counter for (family, label), counter in result.by_family.items() if label == "spam"}
        ham = {family: counter for (family, label), counter in result.by_family.items() if label == "ham"}
        for title, group, label, verb in (("spam let through, by family", spam, "spam", "missed"),
                                          ("legitimate posts held, by family", ham, "ham", "held")):
            wrong = sorted(((counter["wrong"], family, counter["n"]) for family, counter in group.items()
                            if counter["wrong"]), reverse=True)
            self.stdout.write(f"{title}: {sum(item[0] for item in wrong)} of {sum(c['n'] for c in group.values())}")
            for count, family, total in wrong:
                self.stdout.write(f"  {family}: {count}/{total} {verb}")
                for text in result.misses[(family, label)][:show]:
                    self.stdout.write("    · " + " ".join(text.split())[:140])

    @staticmethod
    def mix(rows) -> str:
        spam = sum(1 for row in rows if row.is_spam)
        return f"{spam} spam, {len(rows) - spam} ham"
