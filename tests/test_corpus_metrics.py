"""The metric functions on small examples computed by hand."""

from __future__ import annotations

import pytest

from openimr.corpus.metrics import bootstrap_intervals, cohen_kappa, confusion, disposition_scores, scores

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


def _letters(*sizes_and_agreement: tuple[int, int, int]) -> list[list[tuple[str, str]]]:
    """Letters from (overturned items, upheld items, items the engine gets wrong) triples."""
    letters = []
    for overturned, upheld, wrong in sizes_and_agreement:
        truth = [OV] * overturned + [U] * upheld
        letters.append([(t, (U if t == OV else OV) if i < wrong else t) for i, t in enumerate(truth)])
    return letters


SAMPLE = _letters(*[(1, 2, 0)] * 6, *[(0, 3, 0)] * 10, *[(1, 1, 1)] * 4, *[(0, 2, 1)] * 3, *[(2, 1, 0)] * 2)


def test_bootstrap_interval_holds_the_point_estimate() -> None:
    pairs = [pair for letter in SAMPLE for pair in letter]
    point = scores([t for t, _ in pairs], [p for _, p in pairs])
    intervals = bootstrap_intervals(SAMPLE)
    assert set(intervals) == {"accuracy", "cohen_kappa", "overturn_precision", "overturn_recall"}
    for name, (low, high) in intervals.items():
        assert low <= point[name] <= high, name
        assert low < high, name  # the sample varies, so must the resamples


def test_bootstrap_resamples_whole_letters() -> None:
    # letter A: one item, right; letter B: three items, all wrong. Resampling letters can only give the
    # accuracies of AA, AB and BB: 1, 1/4 and 0. Resampling items would give 1/2, 3/4, ... too
    letters = [[(U, U)], [(U, OV), (OV, U), (U, OV)]]
    low, high = bootstrap_intervals(letters, resamples=500)["accuracy"]
    assert {low, high} <= {0.0, 0.25, 1.0} and low < high
    # and identical letters leave nothing to vary: the interval is the point
    same = [[(OV, OV), (U, U), (U, OV)]] * 8
    assert bootstrap_intervals(same)["cohen_kappa"] == (cohen_kappa(*zip(*same[0], strict=True)),) * 2


def test_bootstrap_is_fixed_by_its_seed() -> None:
    assert bootstrap_intervals(SAMPLE) == bootstrap_intervals(SAMPLE)
    assert bootstrap_intervals(SAMPLE, seed=1) == bootstrap_intervals(SAMPLE, seed=1)
    assert bootstrap_intervals(SAMPLE, seed=1) != bootstrap_intervals(SAMPLE, seed=2)


def test_bootstrap_degenerate_samples() -> None:
    no_overturns = [[(U, U), (U, U)], [(U, OV)], [(U, U)]]
    intervals = bootstrap_intervals(no_overturns)
    assert intervals["cohen_kappa"] == (0.0, 0.0) and intervals["overturn_recall"] == (0.0, 0.0)
    assert intervals["accuracy"][0] < intervals["accuracy"][1]
    assert bootstrap_intervals([]) == {name: (0.0, 0.0) for name in intervals}
    # a letter with no items is no crash; a resample of empty letters only scores the undefined 0.0
    assert bootstrap_intervals([[], [(OV, OV)]])["accuracy"] == (0.0, 1.0)
    with pytest.raises(ValueError):
        bootstrap_intervals(SAMPLE, resamples=0)


def test_disposition_scores_hand_computed() -> None:
    truth = [OV, U, U, U, OV]
    predicted = [OV, U, OV, U, U]  # agree, agree, wrong, agree, wrong
    d = disposition_scores(truth, predicted, ["clear", "clear", "clear", "refer", "refer"], [0.9, 0.8, 0.7, 0.6, 0.5])
    assert (d["clear_items"], d["refer_items"]) == (3, 2)
    assert d["clear_share"] == pytest.approx(0.6)
    assert d["clear_accuracy"] == pytest.approx(2 / 3) and d["refer_accuracy"] == pytest.approx(0.5)
    assert d["mean_confidence"] == pytest.approx(0.7)
    # (0.9-1)^2 + (0.8-1)^2 + (0.7-0)^2 + (0.6-1)^2 + (0.5-0)^2 = 0.01 + 0.04 + 0.49 + 0.16 + 0.25
    assert d["brier"] == pytest.approx(0.95 / 5)
    assert d["brier_constant"] == pytest.approx(0.6 * 0.4)


def test_disposition_scores_without_clear_items_or_items() -> None:
    d = disposition_scores([U, OV], [U, U], ["refer", "refer"], [1.0, 1.0])
    assert d["clear_items"] == 0 and d["clear_accuracy"] == 0.0 and d["refer_accuracy"] == 0.5
    assert d["brier"] == pytest.approx(0.5)
    assert disposition_scores([], [], [], [])["brier"] == 0.0
    with pytest.raises(ValueError):
        disposition_scores([U], [U], [], [0.5])
