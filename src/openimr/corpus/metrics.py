"""Agreement metrics for two-class decisions, "Overturned" the positive class. Pure functions.

Undefined ratios (no predicted overturns for precision, no real ones for recall, chance agreement of 1
for kappa) are reported as 0.0, the convention of scikit-learn's zero_division=0.
"""

from __future__ import annotations

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


def cohen_kappa(truth: Sequence[str], predicted: Sequence[str]) -> float:
    n = len(truth)
    if not n:
        return 0.0
    m = confusion(truth, predicted)
    observed = sum(m[label][label] for label in LABELS) / n
    chance = sum((sum(m[label].values()) / n) * (sum(m[t][label] for t in LABELS) / n) for label in LABELS)
    return _ratio(observed - chance, 1 - chance)


def scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, object]:
    """accuracy, overturn precision / recall / F1, balanced accuracy, Cohen's kappa, confusion matrix."""
    m = confusion(truth, predicted)
    tp, fn = m[POSITIVE][POSITIVE], m[POSITIVE][NEGATIVE]
    fp, tn = m[NEGATIVE][POSITIVE], m[NEGATIVE][NEGATIVE]
    n = tp + fn + fp + tn
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    specificity = _ratio(tn, tn + fp)
    return {
        "items": n,
        "accuracy": _ratio(tp + tn, n),
        "overturn_precision": precision,
        "overturn_recall": recall,
        "overturn_f1": _ratio(2 * precision * recall, precision + recall),
        "balanced_accuracy": (recall + specificity) / 2,
        "cohen_kappa": cohen_kappa(truth, predicted),
        "confusion": m,
    }
