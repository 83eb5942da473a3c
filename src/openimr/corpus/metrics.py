"""Agreement metrics for two-class decisions, "Overturned" the positive class. Pure functions.

Undefined ratios (no predicted overturns for precision, no real ones for recall, chance agreement of 1
for kappa) are reported as 0.0, the convention of scikit-learn's zero_division=0.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

POSITIVE, NEGATIVE = "Overturned", "Upheld"
LABELS = (POSITIVE, NEGATIVE)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def confusion(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """matrix[real decision][engine decision] = count."""
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    matrix = {t: {p: 0 for p in LABELS} for t in LABELS}
    for t, p in zip(truth, predicted, strict=True):
        matrix[t][p] += 1
    return matrix


def _cells(m: dict[str, dict[str, int]]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of a confusion matrix."""
    return m[POSITIVE][POSITIVE], m[POSITIVE][NEGATIVE], m[NEGATIVE][POSITIVE], m[NEGATIVE][NEGATIVE]


def _count_scores(tp: int, fn: int, fp: int, tn: int) -> dict[str, float]:
    n = tp + fn + fp + tn
    observed = _ratio(tp + tn, n)
    # chance agreement: the product of the real and the engine's share, summed over both labels
    chance = _ratio((tp + fn) * (tp + fp) + (fp + tn) * (fn + tn), n * n)
    return {"accuracy": observed, "cohen_kappa": _ratio(observed - chance, 1 - chance),
            "overturn_precision": _ratio(tp, tp + fp), "overturn_recall": _ratio(tp, tp + fn)}


def cohen_kappa(truth: Sequence[str], predicted: Sequence[str]) -> float:
    return _count_scores(*_cells(confusion(truth, predicted)))["cohen_kappa"]


def scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, object]:
    """accuracy, overturn precision / recall / F1, balanced accuracy, Cohen's kappa, confusion matrix."""
    m = confusion(truth, predicted)
    tp, fn, fp, tn = _cells(m)
    base = _count_scores(tp, fn, fp, tn)
    precision, recall = base["overturn_precision"], base["overturn_recall"]
    return {
        "items": tp + fn + fp + tn,
        "accuracy": base["accuracy"],
        "overturn_precision": precision,
        "overturn_recall": recall,
        "overturn_f1": _ratio(2 * precision * recall, precision + recall),
        "balanced_accuracy": (recall + _ratio(tn, tn + fp)) / 2,
        "cohen_kappa": base["cohen_kappa"],
        "confusion": m,
    }


BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 2016
INTERVAL_METRICS = ("accuracy", "cohen_kappa", "overturn_precision", "overturn_recall")


def bootstrap_intervals(letters: Sequence[Sequence[tuple[str, str]]], resamples: int = BOOTSTRAP_RESAMPLES,
                        seed: int = BOOTSTRAP_SEED, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of accuracy, kappa and overturn precision / recall.

    letters holds, per letter, its items' (real decision, engine decision) pairs. Whole LETTERS are
    resampled with replacement, because the items of one letter share a patient, a file and a reviewer
    and are not independent. The same seed gives the same intervals. The interval is the pair of
    resampled values at ranks floor(R * a) and ceil(R * (1 - a)) - 1 of the R sorted values, a = (1 -
    level) / 2. With no letters every interval is (0.0, 0.0).
    """
    if resamples < 1 or not 0 < level < 1:
        raise ValueError("resamples must be positive and level between 0 and 1")
    if not letters:
        return {name: (0.0, 0.0) for name in INTERVAL_METRICS}
    # a resample's scores depend only on its summed confusion counts: count each letter once
    counts = [_cells(confusion([t for t, _ in pairs], [p for _, p in pairs])) for pairs in letters]
    rng = random.Random(seed)
    values: dict[str, list[float]] = {name: [] for name in INTERVAL_METRICS}
    for _ in range(resamples):
        tp = fn = fp = tn = 0
        for a, b, c, d in rng.choices(counts, k=len(counts)):
            tp, fn, fp, tn = tp + a, fn + b, fp + c, tn + d
        for name, value in _count_scores(tp, fn, fp, tn).items():
            values[name].append(value)
    alpha = (1 - level) / 2
    low, high = math.floor(resamples * alpha), math.ceil(resamples * (1 - alpha)) - 1
    intervals = {}
    for name, v in values.items():
        v.sort()
        intervals[name] = (v[low], v[high])
    return intervals


def disposition_scores(truth: Sequence[str], predicted: Sequence[str], dispositions: Sequence[str],
                       confidences: Sequence[float]) -> dict[str, float | int]:
    """How far the engine's own marks can be trusted.

    clear_share / clear_accuracy: the items the engine marked "clear" (no physician needs to look closer)
    and how often they agree with the reviewer; refer_accuracy likewise for "refer". confidence is the
    engine's estimate that the reviewer reaches the same outcome, so its Brier score is the mean of
    (confidence - agreed)^2, agreed 1 or 0; brier_constant is the score of always answering the observed
    accuracy, the bar a confidence that knows anything must beat. Empty groups score 0.0.
    """
    n = len(truth)
    if not n == len(predicted) == len(dispositions) == len(confidences):
        raise ValueError("truth, predictions, dispositions and confidences differ in length")
    agreed = [t == p for t, p in zip(truth, predicted, strict=True)]
    clear = [a for a, d in zip(agreed, dispositions, strict=True) if d == "clear"]
    refer = [a for a, d in zip(agreed, dispositions, strict=True) if d != "clear"]
    accuracy = _ratio(sum(agreed), n)
    return {
        "clear_items": len(clear), "clear_share": _ratio(len(clear), n),
        "clear_accuracy": _ratio(sum(clear), len(clear)),
        "refer_items": len(refer), "refer_accuracy": _ratio(sum(refer), len(refer)),
        "mean_confidence": _ratio(sum(confidences), n),
        "brier": _ratio(sum((c - a) ** 2 for c, a in zip(confidences, agreed, strict=True)), n),
        "brier_constant": accuracy * (1 - accuracy),
    }
