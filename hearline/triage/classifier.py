"""The text classifier: character unigrams and bigrams plus jieba words, TF-IDF, a linear
SVM calibrated to give probabilities (so a confidence threshold means something).

Chosen on 391 real citizen messages in seven classes (5-fold macro-F1 0.91, about 4,000
texts/s): character trigrams or word bigrams added nothing but cost; the first 300
characters of a text carry its topic.

Pure scikit-learn, no database: `fit`, `predict_top` and `cross_validate` are what the
commands, the intake suggestions and the benchmarks call.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC

from .text import normalise, words


class TooLittleData(ValueError):
    """Fewer than two classes, or a class with fewer examples than the folds need."""


def build_pipeline(calibration_folds: int = 3) -> Pipeline:
    """An unfitted pipeline (fit it with texts and labels)."""
    features = make_union(
        TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, 2),
            sublinear_tf=True,
            max_features=150_000,
            preprocessor=normalise,
            dtype=np.float32,
        ),
        TfidfVectorizer(
            tokenizer=words,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 1),
            sublinear_tf=True,
            max_features=100_000,
            preprocessor=normalise,
            dtype=np.float32,
        ),
    )
    classifier = CalibratedClassifierCV(LinearSVC(C=0.5), cv=calibration_folds, ensemble=False)
    return Pipeline([("features", features), ("classifier", classifier)])


def _calibration_folds(labels: list[str]) -> int:
    smallest = min(labels.count(label) for label in set(labels))
    return max(2, min(3, smallest))


def _check(labels: list[str], folds: int) -> None:
    classes = set(labels)
    if len(classes) < 2:
        raise TooLittleData("need at least two different labels")
    smallest = min(labels.count(label) for label in classes)
    if smallest < folds:
        raise TooLittleData(f"every label needs at least {folds} examples (one has {smallest})")


def fit(texts: list[str], labels: list[str]) -> Pipeline:
    """A pipeline trained on all the examples."""
    _check(labels, 2)
    pipeline = build_pipeline(_calibration_folds(labels))
    pipeline.fit(texts, labels)
    return pipeline


@dataclass(frozen=True)
class Ranked:
    label: str
    probability: float


def predict_top(pipeline: Pipeline, texts: list[str], k: int = 3) -> list[list[Ranked]]:
    """For each text, the k most probable labels, most probable first."""
    probabilities = pipeline.predict_proba(texts)
    classes = pipeline.classes_
    ranked = []
    for row in probabilities:
        best = np.argsort(row)[::-1][:k]
        ranked.append([Ranked(str(classes[i]), round(float(row[i]), 4)) for i in best])
    return ranked


def cross_validate(texts: list[str], labels: list[str], folds: int = 5, seed: int = 0) -> dict:
    """Stratified k-fold cross-validation: accuracy, macro-F1, per-class precision, recall,
    F1 and support, and n."""
    _check(labels, folds)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    smallest_train = min(labels.count(label) for label in set(labels)) * (folds - 1) // folds
    pipeline = build_pipeline(max(2, min(3, smallest_train)))
    predicted = cross_val_predict(pipeline, texts, labels, cv=splitter)
    classes = sorted(set(labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=classes, zero_division=0
    )
    return {
        "n": len(labels),
        "folds": folds,
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1": round(float(np.mean(f1)), 4),
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        },
    }


def dumps(pipeline: Pipeline) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer, compress=3)
    return buffer.getvalue()


def loads(data: bytes) -> Pipeline:
    return joblib.load(io.BytesIO(data))
