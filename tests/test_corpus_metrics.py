"""The metric functions on small examples computed by hand."""

from __future__ import annotations

import pytest

from openimr.corpus.metrics import cohen_kappa, confusion, scores

OV, U = "Overturned", "Upheld"


def test_scores_hand_computed() -> None:
    # real:   OV OV OV U U U U U U U ; engine: OV OV U OV U U U U U U  -> tp 2, fn 1, fp 1, tn 6
    truth = [OV, OV, OV, U, U, U, U, U, U, U]
    predicted = [OV, OV, U, OV, U, U, U, U, U, U]
    s = scores(truth, predicted)
    assert s["accuracy"] == pytest.approx(0.8)
    assert s["overturn_precision"] == pytest.approx(2 / 3)
    assert s["overturn_recall"] == pytest.approx(2 / 3)
    assert s["overturn_f1"] == pytest.approx(2 / 3)
    assert s["balanced_accuracy"] == pytest.approx((2 / 3 + 6 / 7) / 2)
    # po = 0.8; pe = 0.3*0.3 + 0.7*0.7 = 0.58; kappa = 0.22 / 0.42
    assert s["cohen_kappa"] == pytest.approx(0.22 / 0.42)
    assert s["confusion"] == {OV: {OV: 2, U: 1}, U: {OV: 1, U: 6}}


def test_always_upheld_baseline() -> None:
    truth = [OV, U, U, U]
    s = scores(truth, [U] * 4)
    assert s["accuracy"] == 0.75
    assert s["overturn_precision"] == 0.0 and s["overturn_recall"] == 0.0 and s["overturn_f1"] == 0.0
    assert s["balanced_accuracy"] == 0.5
    assert s["cohen_kappa"] == 0.0


def test_perfect_and_opposite_agreement() -> None:
    assert cohen_kappa([OV, U, OV, U], [OV, U, OV, U]) == pytest.approx(1.0)
    assert cohen_kappa([OV, U, OV, U], [U, OV, U, OV]) == pytest.approx(-1.0)


def test_confusion_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError):
        confusion([OV], [OV, U])
