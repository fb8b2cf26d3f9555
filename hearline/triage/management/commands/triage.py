"""`hearline triage train|evaluate` — the classifier on an organisation's history.

    hearline triage train --data FILE.csv --text COLS --label COL
    hearline triage train --from-cases [--target category|department|urgency|all]
    hearline triage evaluate --data FILE.csv --text COLS --label COL --folds 5

COLS is a comma-separated list of text columns, joined for the model; the CSV is UTF-8 with
a header row. `train` stores a new model version and prints it as JSON; `evaluate` runs
stratified k-fold cross-validation and prints one JSON object with accuracy, macro_f1,
per_class and n. Exit status 1 with a message for an unusable file or column.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from hearline.triage.classifier import TooLittleData, cross_validate
from hearline.triage.models import Target, TriageModel
from hearline.triage.training import BadTrainingData, do_train, read_csv
from hearline.triage.training import from_cases as closed_cases


def _columns(value: str) -> list[str]:
    columns = [c.strip() for c in value.split(",") if c.strip()]
    if not columns:
        raise CommandError("--text needs at least one column name")
    return columns


class Command(BaseCommand):
    help = "Train and evaluate the triage classifier."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        train = sub.add_parser("train", help="train and store a new model version")
        train.add_argument("--data", help="UTF-8 CSV with a header row")
        train.add_argument("--text", help="comma-separated text columns")
        train.add_argument("--label", help="the label column")
        train.add_argument(
            "--target",
            choices=["label", "category", "department", "urgency", "all"],
            help="what the model predicts (default: label for --data, all for --from-cases)",
        )
        train.add_argument(
            "--from-cases", action="store_true", help="train on this installation's closed cases"
        )
        train.add_argument(
            "--if-missing",
            action="store_true",
            help="only when no model of the target exists yet (for make run)",
        )
        evaluate = sub.add_parser("evaluate", help="stratified k-fold cross-validation")
        evaluate.add_argument("--data", required=True)
        evaluate.add_argument("--text", required=True)
        evaluate.add_argument("--label", required=True)
        evaluate.add_argument("--folds", type=int, default=5)

    def handle(self, *args, subcommand, **options):
        try:
            if subcommand == "evaluate":
                result = self._evaluate(**options)
            else:
                result = self._train(**options)
        except (BadTrainingData, TooLittleData) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _evaluate(self, *, data, text, label, folds, **_):
        if folds < 2:
            raise CommandError("--folds must be at least 2")
        texts, labels = read_csv(data, _columns(text), label)
        return cross_validate(texts, labels, folds)

    def _train(self, *, data, text, label, target, from_cases: bool, if_missing: bool, **_):
        if from_cases:
            every = [Target.CATEGORY, Target.DEPARTMENT, Target.URGENCY]
            targets = every if target in (None, "all") else [target]
            if if_missing:
                targets = [t for t in targets if not TriageModel.objects.filter(target=t).exists()]
            trained = []
            for one in targets:
                texts, labels = closed_cases(one)
                try:
                    model = do_train(texts, labels, target=one, source="closed cases")
                except (BadTrainingData, TooLittleData) as exc:
                    if not if_missing:
                        raise
                    # make run on a small installation: start without, say so, carry on.
                    self.stderr.write(f"no {one} model yet: {exc}")
                    continue
                trained.append(_describe(model))
            return trained
        if not (data and text and label):
            raise CommandError("give --data, --text and --label, or --from-cases")
        texts, labels = read_csv(data, _columns(text), label)
        model = do_train(texts, labels, target=target or Target.LABEL, source=f"csv:{data}")
        return _describe(model)


def _describe(model) -> dict:
    return {
        "model": str(model),
        "target": model.target,
        "version": model.version,
        "n": model.n_samples,
        "labels": model.labels,
    }
