"""Benchmark: certified constraints against MAPIE's BinaryClassificationController.

Same data on both sides, from a known distribution so that every population
metric is exact: a share ``pi`` of positives, scores ``s ~ N(mu * y, 1)``, and
the classifier's probability is the true posterior ``p(s)`` (so both sides see
probabilities in [0, 1], which MAPIE's grid needs). Two populations: a common
positive class (``pi = 0.3, mu = 2``) at n = 300, 1000, 5000, and a rare one
(``pi = 0.03, mu = 2.5``) at n = 3000. For each of ``--draws`` validation sets
of ``n`` rows:

* skeval: the curve over every distinct probability, the thresholds certified
  at ``confidence = 1 - DELTA`` by :func:`skeval._core._uncertainty.certify`,
  then the best validation value of the other metric over them (the tuner's
  selection rule, midpoint of the optimal interval);
* MAPIE: ``BinaryClassificationController(risk=..., target_level=...,
  confidence_level=1 - DELTA)`` on its default grid (100 thresholds, Holm), and
  for recall also with ``fwer_method="fixed_sequence"`` (scanning its grid
  from 0, the safe end);
* skeval without confidence (the point estimate), to show what is at stake.

Reported per method: the share of draws that certify something, the violation
frequency (population metric beyond the limit at the returned threshold; it
must stay <= DELTA), the population value of the other metric at the returned
threshold (power: mean over the draws that certify, and mean over all draws
counting a draw that certifies nothing as 0), and the median time of one
calibration.

Run: ``python benchmarks/bench_guarantee.py`` (about two minutes; ``--draws``
and ``--quick`` change the work). MAPIE is an optional benchmark dependency.
"""

import argparse
import time
import warnings

import numpy as np
from scipy import stats

from skeval._core._curve import _sweep
from skeval._core._formulas import COUNT_METRICS
from skeval._core._selection import select
from skeval._core._uncertainty import certify

DELTA = 0.1


class Model:
    """Scores ``s ~ N(mu * y, 1)`` with a share ``pi`` of positives."""

    def __init__(self, pi, mu):
        self.pi, self.mu = pi, mu
        self.prior_logit = np.log(pi / (1 - pi))

    def draw(self, rng, n):
        """A validation set: labels and the true posterior as the probability."""
        y = rng.random(n) < self.pi
        return y, self.posterior(rng.normal(size=n) + self.mu * y)

    def posterior(self, s):
        """The true P(y = 1 | s): a calibrated probability, increasing in s."""
        return 1.0 / (1.0 + np.exp(-(self.mu * s - self.mu**2 / 2 + self.prior_logit)))

    def score_of(self, p):
        """The score whose posterior is p (the inverse of :meth:`posterior`)."""
        with np.errstate(divide="ignore"):
            logit = np.log(p) - np.log1p(-p)
        return (logit - self.prior_logit + self.mu**2 / 2) / self.mu

    def population(self, p_threshold):
        """Population recall and precision when flagging ``posterior >= t``."""
        t = self.score_of(p_threshold) if np.isfinite(p_threshold) else p_threshold
        tpr, fpr = stats.norm.sf(t - self.mu), stats.norm.sf(t)
        alerts = self.pi * tpr + (1 - self.pi) * fpr
        precision = self.pi * tpr / alerts if alerts > 0 else 0.0
        return {"recall": tpr, "precision": precision}


def skeval_threshold(y, p, constraint, limit, other, confidence):
    """skeval: certified set, then the best validation ``other`` metric on it."""
    curve = _sweep(y, p)
    objective = COUNT_METRICS[other](*curve.counts)
    if confidence is None:
        feasible = COUNT_METRICS[constraint](*curve.counts) >= limit
    else:
        feasible = certify(curve, constraint, limit, confidence).certified
    if not feasible.any():
        return None
    sel = select(curve.thresholds, objective, constraint=(feasible * 1.0, "lower", 1))
    return sel.threshold


def mapie_threshold(y, p, constraint, limit, fwer_method):
    """MAPIE's controller on the same probabilities."""
    from mapie.risk_control import BinaryClassificationController

    controller = BinaryClassificationController(
        predict_function=lambda X: np.column_stack((1 - X[:, 0], X[:, 0])),
        risk=constraint,
        target_level=limit,
        confidence_level=1 - DELTA,
        fwer_method=fwer_method,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        controller.calibrate(p[:, None], y.astype(int))
    return controller.best_predict_param


def run(model, constraint, limit, n, draws, seed=0):
    other = "precision" if constraint == "recall" else "recall"
    methods = {
        "skeval, confidence": lambda y, p: skeval_threshold(
            y, p, constraint, limit, other, 1 - DELTA
        ),
        "MAPIE (Holm, 100-pt grid)": lambda y, p: mapie_threshold(
            y, p, constraint, limit, "bonferroni_holm"
        ),
        "skeval, point estimate": lambda y, p: skeval_threshold(
            y, p, constraint, limit, other, None
        ),
    }
    if constraint == "recall":
        methods["MAPIE (fixed sequence)"] = lambda y, p: mapie_threshold(
            y, p, constraint, limit, "fixed_sequence"
        )
    rng = np.random.default_rng(seed)
    data = [model.draw(rng, n) for _ in range(draws)]
    rows = []
    for name, method in methods.items():
        found, violated, power, times = 0, 0, [], []
        for y, p in data:
            start = time.perf_counter()
            threshold = method(y, p)
            times.append(time.perf_counter() - start)
            if threshold is None:
                continue
            found += 1
            values = model.population(threshold)
            violated += values[constraint] < limit
            power.append(values[other])
        rows.append(
            (
                name,
                found / draws,
                violated / draws,
                float(np.mean(power)) if power else float("nan"),
                float(np.sum(power)) / draws,
                float(np.median(times)) * 1e3,
            )
        )
    return other, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="n = 1000 only")
    args = parser.parse_args()
    se = np.sqrt(DELTA * (1 - DELTA) / args.draws)
    print(
        f"delta={DELTA}, {args.draws} validation draws per row; violations must "
        f"be <= {DELTA} (+3 SE = {DELTA + 3 * se:.3f})\n"
    )
    common, rare = Model(pi=0.3, mu=2.0), Model(pi=0.03, mu=2.5)
    sizes = [1000] if args.quick else [300, 1000, 5000]
    settings = [
        (common, c, v, n)
        for c, v in [("recall", 0.9), ("precision", 0.8)]
        for n in sizes
    ]
    settings += [(rare, c, v, 3000) for c, v in [("recall", 0.8), ("precision", 0.5)]]
    for model, constraint, limit, n in settings:
        other, rows = run(model, constraint, limit, n, args.draws)
        print(
            f"{constraint} >= {limit}, n = {n} (prevalence {model.pi}, mu {model.mu})"
        )
        print(
            f"  {'method':28s} {'certifies':>9s} {'violates':>9s} "
            f"{'pop. ' + other:>16s} {'(fail = 0)':>10s} {'ms/fit':>8s}"
        )
        for name, found, violated, power, overall, ms in rows:
            print(
                f"  {name:28s} {found:9.3f} {violated:9.3f} {power:16.4f} "
                f"{overall:10.4f} {ms:8.2f}"
            )
        print()


if __name__ == "__main__":
    main()
