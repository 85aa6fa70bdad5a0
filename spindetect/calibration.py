"""Pick a document threshold for one domain from scores of texts known to be human.

``fit`` takes the scores the model gives a user's human documents and a false
positive rate, and returns a threshold with a bootstrap interval, the rate it
reaches on those documents, and an exact (Clopper-Pearson) interval for that
rate. ``data_sha256`` names the documents it was fitted on. Pure functions of
arrays: reading, scoring and writing the model directory happen elsewhere
(commands/calibrate.py, modeldir.save_calibrated).

The rule is the split-conformal quantile: with the n human scores sorted from
the highest, the threshold sits one score step above the j-th, where
``j = floor(fpr * (n + 1))``. A new document exchangeable with these (same
source, same kind of text) then lands above it with probability at most
``j / (n + 1) <= fpr``, and at most ``j - 1`` of the n are flagged. Taking
the ``floor(fpr * n) + 1``-th instead (the most flags the calibration set
allows) misses the rate on new text by about ``1 / (n + 1)``: measured on
held-out halves of the shared data, see benchmarks/README.md.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass
from typing import Iterable

import numpy as np

#: Fewer human documents than this are refused: at 50, one document more or
#: less above the threshold moves the FPR by 2 points.
MIN_DOCUMENTS = 50
#: --fpr must lie in (0, MAX_FPR]; above a half the "threshold" flags most human text.
MAX_FPR = 0.5
RESAMPLES = 1000
SEED = 0
LEVEL = 0.95
#: Document scores are reported rounded to 6 decimals (detector), so thresholds sit on that grid:
#: one step above a human score leaves that document, and every tie with it, unflagged.
SCORE_STEP = 1e-6
_BOOTSTRAP_CHUNK = 100  # resamples sorted at once (memory: chunk x documents floats)


class CalibrationError(ValueError):
    """The documents or the rate asked for cannot give a threshold; the message says why."""


@dataclass(frozen=True)
class Calibration:
    """A threshold fitted on human documents and what it achieves on them."""

    threshold: float
    fpr_requested: float
    #: Share of the calibration documents flagged.
    fpr_achieved: float
    #: Bound on the chance a new exchangeable human document is flagged (``expected_fpr``).
    fpr_expected: float
    n_documents: int
    n_flagged: int
    #: 2.5 and 97.5 percentiles of the threshold refitted on bootstrap resamples of the documents.
    threshold_interval: tuple[float, float]
    #: Clopper-Pearson interval of the FPR this threshold has on documents like these.
    fpr_interval: tuple[float, float]
    resamples: int
    seed: int
    level: float = LEVEL

    def to_dict(self) -> dict:
        d = asdict(self)
        d["threshold_interval"] = list(self.threshold_interval)
        d["fpr_interval"] = list(self.fpr_interval)
        return d


def check_fpr(fpr: float) -> float:
    """``fpr`` if it lies in (0, MAX_FPR], else CalibrationError."""
    if not (isinstance(fpr, (int, float)) and math.isfinite(fpr) and 0.0 < fpr <= MAX_FPR):
        raise CalibrationError(f"--fpr must be above 0 and at most {MAX_FPR} (e.g. 0.01 for 1 %), got {fpr}")
    return float(fpr)


def data_sha256(texts: Iterable[str]) -> str:
    """sha256 over the sorted texts, each as its UTF-8 length (8 bytes, big-endian) then its bytes.

    The order the documents were read in does not change it; the length
    prefix keeps ["ab", "c"] and ["a", "bc"] apart.
    """
    h = hashlib.sha256()
    for t in sorted(texts):
        b = t.encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()


def threshold_at_fpr(scores: np.ndarray, fpr: float) -> float:
    """One score step above the ``rank(n, fpr)``-th highest of ``scores``, capped at 1 (labels are ``score >= threshold``)."""
    s = np.sort(np.asarray(scores, dtype=np.float64))[::-1]
    return _above(s[rank(s.size, fpr) - 1])


def rank(n: int, fpr: float) -> int:
    """Which highest human score the threshold sits just above: ``floor(fpr * (n + 1))``, at least 1.

    At 1 the threshold is above every calibration score and new documents
    are flagged with probability up to ``1 / (n + 1)``, more than ``fpr``
    when ``n + 1 < 1 / fpr`` (``expected_fpr`` says how much).
    """
    return max(1, int(math.floor(fpr * (n + 1) + 1e-9)))  # the 1e-9 absorbs 0.01 * 300 = 2.9999...


def needed(fpr: float) -> int:
    """The fewest documents whose threshold keeps ``fpr`` on new text: ``(n + 1) * fpr >= 1``."""
    return max(MIN_DOCUMENTS, math.ceil(1 / fpr - 1e-9) - 1)


def expected_fpr(n: int, fpr: float) -> float:
    """The bound on a new exchangeable document's chance of being flagged: ``rank / (n + 1)``."""
    return rank(n, fpr) / (n + 1)


def fit(scores, fpr: float, *, resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL) -> Calibration:
    """Fit the threshold at ``fpr`` on human documents' scores.

    Parameters
    ----------
    scores : array-like
        Document scores (in [0, 1]) of texts known to be human.
    fpr : float
        The false-positive rate wanted on new human documents like these, in (0, 0.5].
    resamples, seed, level
        Bootstrap resamples (documents drawn with replacement), the seed of
        numpy's default generator, and the interval's coverage.

    Returns
    -------
    Calibration

    Raises
    ------
    CalibrationError
        ``fpr`` out of range, fewer than MIN_DOCUMENTS scores, scores not in
        [0, 1], or more documents at the maximum score than ``fpr`` allows.
    """
    fpr = check_fpr(fpr)
    s = np.asarray(scores, dtype=np.float64).ravel()
    if s.size < MIN_DOCUMENTS:
        raise CalibrationError(
            f"got {s.size} scorable human document(s); calibration needs at least {MIN_DOCUMENTS}, "
            f"and {needed(fpr)} for --fpr {fpr:g} to hold on new text"
        )
    if not (np.isfinite(s).all() and s.min() >= 0.0 and s.max() <= 1.0):
        raise CalibrationError("scores must be finite numbers in [0, 1]")
    if resamples < 1:
        raise CalibrationError(f"resamples must be 1 or more, got {resamples}")
    threshold = threshold_at_fpr(s, fpr)
    flagged = int((s >= threshold).sum())
    if flagged >= rank(s.size, fpr):  # only when that many score the maximum, 1.0
        raise CalibrationError(f"{flagged} of {s.size} human documents score 1.0, more than --fpr {fpr:g} allows; "
                               "no threshold can keep them unflagged (look at why they score so high)")
    boot = _bootstrap_thresholds(s, fpr, resamples, seed)
    tail = (1.0 - level) / 2
    lo, hi = np.quantile(boot, [tail, 1.0 - tail])
    return Calibration(
        threshold=threshold,
        fpr_requested=fpr,
        fpr_achieved=flagged / s.size,
        fpr_expected=round(expected_fpr(s.size, fpr), 6),
        n_documents=int(s.size),
        n_flagged=flagged,
        threshold_interval=(_grid(lo), _grid(hi)),
        fpr_interval=clopper_pearson(flagged, int(s.size), level),
        resamples=resamples,
        seed=seed,
        level=level,
    )


def clopper_pearson(k: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact binomial interval of a rate seen as ``k`` of ``n`` (0 and 1 at the ends)."""
    from scipy.stats import beta

    tail = (1.0 - level) / 2
    lo = 0.0 if k == 0 else float(beta.ppf(tail, k, n - k + 1))
    hi = 1.0 if k == n else float(beta.ppf(1.0 - tail, k + 1, n - k))
    return round(lo, 6), round(hi, 6)


def _above(score: float) -> float:
    """One score step above ``score``, on the 6-decimal grid, at most 1."""
    return min(_grid(score + SCORE_STEP), 1.0)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _grid(x: float) -> float:
    return round(float(x), 6)


def _bootstrap_thresholds(s: np.ndarray, fpr: float, resamples: int, seed: int) -> np.ndarray:
    """``threshold_at_fpr`` on ``resamples`` resamples of ``s`` drawn with replacement."""
    rng = np.random.default_rng(seed)
    k = rank(s.size, fpr) - 1
    out = []
    for start in range(0, resamples, _BOOTSTRAP_CHUNK):
        m = min(_BOOTSTRAP_CHUNK, resamples - start)
        draws = s[rng.integers(0, s.size, size=(m, s.size))]
        # the (k+1)-th highest of each row: partition instead of a full sort
        kth = -np.partition(-draws, k, axis=1)[:, k]
        out.append(np.minimum(np.round(kth + SCORE_STEP, 6), 1.0))
    return np.concatenate(out)


def threshold_entry(cal: Calibration) -> dict:
    """The manifest's ``threshold`` for a calibrated model (what ``Model.threshold`` reads)."""
    return {
        "value": cal.threshold,
        "target_fpr": cal.fpr_requested,
        "rule": (f"calibrated (spindetect calibrate): one score step above the "
                 f"{_ordinal(rank(cal.n_documents, cal.fpr_requested))} highest of {cal.n_documents} human documents' "
                 f"scores (split-conformal), so a new human document like them is flagged with probability at most "
                 f"{cal.fpr_expected:.4f} (asked {cal.fpr_requested:g}); {cal.n_flagged} of the {cal.n_documents} are flagged"),
    }


def provenance(cal: Calibration, *, base: dict, data: dict, date: str, tool: dict) -> dict:
    """The manifest's ``calibration`` record.

    Parameters
    ----------
    cal : Calibration
    base : dict
        The base model: name, version, path, manifest_sha256, threshold.
    data : dict
        The documents: sha256 (``data_sha256``), n_documents, and counts of
        inputs left out (unreadable, unscorable).
    date : str
        When, ISO 8601 UTC.
    tool : dict
        spindetect version and the options given (mode, fpr, resamples, seed).
    """
    return {
        "base_model": base,
        "data": data,
        "fpr_requested": cal.fpr_requested,
        "fpr_achieved": cal.fpr_achieved,
        "fpr_expected_new": cal.fpr_expected,
        "n_flagged": cal.n_flagged,
        "threshold": cal.threshold,
        "threshold_interval": {"low": cal.threshold_interval[0], "high": cal.threshold_interval[1], "level": cal.level,
                               "method": f"bootstrap percentile, {cal.resamples} resamples of the documents, "
                                         f"numpy default_rng seed {cal.seed}"},
        "fpr_interval": {"low": cal.fpr_interval[0], "high": cal.fpr_interval[1], "level": cal.level,
                         "method": f"Clopper-Pearson, {cal.n_flagged} of {cal.n_documents} flagged"},
        "date": date,
        "tool": tool,
    }
