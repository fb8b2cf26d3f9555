"""Training data (a CSV export or the organisation's own closed cases) and stored models."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from hearline.cases.models import Case
from hearline.cases.workflow import State

from . import classifier
from .models import Target, TriageModel, TriageOverride
from .service import clear_caches

CLOSED = (State.REPLIED, State.CONFIRMED, State.FOLLOWED_UP, State.ARCHIVED)
MIN_PER_LABEL = 3


class BadTrainingData(ValueError):
    """The file or the columns can't be used; the message says why."""


def read_csv(path: str | Path, text_columns: list[str], label_column: str):
    """(texts, labels) from a UTF-8 CSV with a header row; the text columns are joined by
    newlines; rows without a label are skipped."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in [*text_columns, label_column] if c not in header]
            if missing:
                raise BadTrainingData(
                    f"no column {', '.join(missing)} in {path}; columns: {', '.join(header)}"
                )
            texts, labels = [], []
            for row in reader:
                label = (row[label_column] or "").strip()
                if label:
                    texts.append("\n".join((row[c] or "").strip() for c in text_columns))
                    labels.append(label)
    except UnicodeDecodeError as exc:
        raise BadTrainingData(f"{path} is not UTF-8: {exc}") from exc
    except FileNotFoundError as exc:
        raise BadTrainingData(f"no such file: {path}") from exc
    if not labels:
        raise BadTrainingData(f"{path} has no labelled rows")
    return texts, labels


def from_cases(target: str) -> tuple[list[str], list[str]]:
    """(texts, labels) from closed cases: their final category, their urgency, or the
    department that handled them (cases closed on the spot never reached one). A case whose suggestion a
    person overrode counts twice, so the next model learns from the correction."""
    cases = Case.objects.filter(state__in=CLOSED)
    if target == Target.CATEGORY:
        cases = cases.filter(category__isnull=False, category__is_active=True)
        rows = cases.values_list("pk", "title", "description", "category__code")
    elif target == Target.URGENCY:
        rows = cases.values_list("pk", "title", "description", "urgency")
    else:
        rows = cases.filter(closed_on_spot=False).values_list(
            "pk", "title", "description", "department__code"
        )
    corrected = set(TriageOverride.objects.filter(field=target).values_list("case_id", flat=True))
    texts, labels = [], []
    for pk, title, description, label in rows.iterator():
        for _ in range(2 if pk in corrected else 1):
            texts.append(f"{title}\n{description}")
            labels.append(label)
    return texts, labels


def usable(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """Drop labels with fewer than MIN_PER_LABEL examples (a model can't learn them)."""
    counts = Counter(labels)
    kept = [(t, lab) for t, lab in zip(texts, labels, strict=True) if counts[lab] >= MIN_PER_LABEL]
    return [t for t, _ in kept], [lab for _, lab in kept]


def do_train(texts: list[str], labels: list[str], *, target: str, source: str) -> TriageModel:
    """Fit on every example and store the model as the next version of `target`, which
    from then on serves suggestions."""
    texts, labels = usable(texts, labels)
    if len(set(labels)) < 2:
        raise BadTrainingData(
            f"need at least two labels with {MIN_PER_LABEL}+ examples each; have {len(set(labels))}"
        )
    pipeline = classifier.fit(texts, labels)
    with transaction.atomic():
        latest = TriageModel.objects.filter(target=target).aggregate(v=Max("version"))["v"] or 0
        model = TriageModel.objects.create(
            target=target,
            version=latest + 1,
            source=source[:300],
            n_samples=len(labels),
            labels=sorted(set(labels)),
            artifact=classifier.dumps(pipeline),
        )
    transaction.on_commit(clear_caches)
    return model
