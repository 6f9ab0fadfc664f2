"""Benchmark: our cell-based raking against balance's and weightipy's raking, on the same data.

Run from the repository root. The comparison with balance and weightipy needs the optional ``bench``
dependencies (``.venv/bin/pip install -e '.[bench]'``); without them only ours is timed, and it says so:

    .venv/bin/python benchmarks/weighting.py            # 100k and 1M respondents
    .venv/bin/python benchmarks/weighting.py --sizes 200000 --repeats 1
    .venv/bin/python benchmarks/weighting.py --against-r --sizes 1000000 --questions 20 --repeats 1

``--against-r`` times raking plus every answer's share and linearised standard error for 20
questions, ours (from the DataFrame) against R's survey package (calibrate(calfun = "raking") and
svymean, timed inside R after reading the CSV, benchmarks/weighting_survey.R), and checks that the
shares and standard errors agree.

Synthetic respondents with five characteristics - age (8 bands), sex (2), ethnic group (19),
disability (2) and area (10) - deliberately skewed against census-like targets and correlated with
each other (disability with age, ethnic group with area), so raking needs several iterations. The
columns are pandas categoricals, as they come from the database. Every method gets the same
DataFrame and the same targets and is timed end to end from that DataFrame (ours includes grouping
the rows into cells and mapping the weights back to rows). Reported per method: best wall time of
``--repeats`` runs after one untimed warm-up, its ratio to ours, the largest absolute difference from our weights (all
normalised to mean 1) and the largest relative margin error of its weights, measured here the same
way for everyone.

Matched tolerance:
* ours: ``tol`` = largest relative margin error |weighted/target - 1|.
* balance: ``convergence_rate`` is the same criterion (max |margin/target - 1|), set to the same
  value, with ``rate_tolerance=0`` so it does not stop on a stalled rate instead. Its
  ``target_margins`` input rounds the targets to a synthetic population of at most 10,000 rows, so
  the targets are passed exactly instead, as a weighted target frame (the product of the margins,
  6,080 rows). ``transformations=None`` stops it bucketing/lumping categories.
* weightipy: its stopping rule cannot be set - ``Rim(convcrit=...)`` is not passed on to its
  ``Rake``, which stops once an iteration changes the weights by less than 99% of the previous
  change - i.e. it runs until the change stalls at floating-point noise, which is tighter than
  ours. Same ``max_iterations``. Its progress messages on stdout are suppressed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import io
import itertools
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

# Allow "python benchmarks/weighting.py" from anywhere: the package lives at the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from representativeness.stats import rake  # noqa: E402

TOL = 1e-10
MAX_ITER = 1000

AGE = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"]
SEX = ["Female", "Male"]
ETHNIC = [
    "Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian",
    "African", "Caribbean", "Other Black",
    "White and Asian", "White and Black African", "White and Black Caribbean", "Other Mixed",
    "English, Welsh, Scottish, Northern Irish or British", "Irish", "Gypsy or Irish Traveller", "Roma",
    "Other White",
    "Arab", "Any other ethnic group",
]  # fmt: skip
DISABILITY = ["Disabled", "Not disabled"]
AREA = [f"Ward {i + 1}" for i in range(10)]

# Census-like population shares.
TARGET_SHARES = {
    "age": [0.14, 0.17, 0.16, 0.16, 0.15, 0.11, 0.08, 0.03],
    "sex": [0.51, 0.49],
    "ethnic_group": [
        0.011,
        0.008,
        0.033,
        0.027,
        0.016,
        0.025,
        0.011,
        0.005,
        0.008,
        0.003,
        0.009,
        0.007,
        0.745,
        0.009,
        0.001,
        0.002,
        0.062,
        0.006,
        0.012,
    ],  # fmt: skip
    "disability": [0.18, 0.82],
    "area": [0.12, 0.08, 0.11, 0.09, 0.10, 0.13, 0.07, 0.10, 0.11, 0.09],
}
LABELS = {"age": AGE, "sex": SEX, "ethnic_group": ETHNIC, "disability": DISABILITY, "area": AREA}


def targets() -> dict[str, dict[str, float]]:
    return {column: dict(zip(LABELS[column], shares, strict=True)) for column, shares in TARGET_SHARES.items()}


def synthetic_sample(n: int, seed: int = 2021) -> pd.DataFrame:
    """Respondents skewed against the targets: older, female, White British, disabled, some wards."""
    rng = np.random.default_rng(seed)

    def draw(shares: list[float], skew: list[float], size: int) -> np.ndarray:
        p = np.asarray(shares) * np.asarray(skew)
        return rng.choice(len(shares), size=size, p=p / p.sum())

    age = draw(TARGET_SHARES["age"], [0.3, 0.5, 0.7, 1.0, 1.4, 1.9, 2.2, 1.5], n)
    sex = draw(TARGET_SHARES["sex"], [1.4, 1.0], n)
    area = draw(TARGET_SHARES["area"], [1.8, 0.6, 1.2, 0.8, 1.0, 1.5, 0.5, 1.0, 1.3, 0.7], n)
    # Ethnic group depends on area: the first three wards are more diverse.
    diverse = area < 3
    white_british = TARGET_SHARES["ethnic_group"][12]
    skew = np.ones(len(ETHNIC))
    skew[12] = 1.6
    ethnic = draw(TARGET_SHARES["ethnic_group"], list(skew), n)
    diverse_skew = np.full(len(ETHNIC), 2.5)
    diverse_skew[12] = 0.4 / white_british * 0.745
    ethnic[diverse] = draw(TARGET_SHARES["ethnic_group"], list(diverse_skew), int(diverse.sum()))
    # Disability rises with age.
    p_disabled = np.clip(0.08 + 0.06 * age, 0, 0.9)
    disability = (rng.random(n) >= p_disabled).astype(np.int64)  # 0 = Disabled
    codes = {"age": age, "sex": sex, "ethnic_group": ethnic, "disability": disability, "area": area}
    return pd.DataFrame(
        {column: pd.Categorical.from_codes(codes[column], categories=LABELS[column]) for column in LABELS}
    )


def max_margin_error(sample: pd.DataFrame, weights: np.ndarray) -> float:
    worst = 0.0
    for column, shares in TARGET_SHARES.items():
        got = np.bincount(sample[column].cat.codes.to_numpy(), weights=weights, minlength=len(shares))
        worst = max(worst, float(np.max(np.abs(got / weights.sum() / np.asarray(shares) - 1))))
    return worst


def run_ours(sample: pd.DataFrame) -> np.ndarray:
    result = rake(sample, targets(), tol=TOL, max_iter=MAX_ITER)
    if not result.converged:
        raise RuntimeError("our rake did not converge")
    return result.weights.to_numpy()


def run_balance(sample: pd.DataFrame) -> np.ndarray:
    from balance.weighting_methods.rake import rake as balance_rake

    columns = list(LABELS)
    # The exact targets as a weighted target population: every combination, weighted by the product
    # of its shares, has exactly the target margins.
    combos = pd.DataFrame(list(itertools.product(*(LABELS[c] for c in columns))), columns=columns)
    weight = np.ones(len(combos))
    for column in columns:
        share = dict(zip(LABELS[column], TARGET_SHARES[column], strict=True))
        weight *= combos[column].map(share).to_numpy()
    result = balance_rake(
        sample,
        pd.Series(1.0, index=sample.index),
        combos,
        pd.Series(weight, index=combos.index),
        variables=columns,
        transformations=None,
        max_iteration=MAX_ITER,
        convergence_rate=TOL,
        rate_tolerance=0.0,
    )
    if not result["model"]["converged"]:
        raise RuntimeError("balance did not converge")
    return result["weight"].to_numpy(dtype=float)


def run_weightipy(sample: pd.DataFrame) -> np.ndarray:
    import weightipy

    scheme = weightipy.scheme_from_dict(targets(), name="bench", rim_params={"max_iterations": MAX_ITER})
    with contextlib.redirect_stdout(io.StringIO()):
        weights = weightipy.weight(sample, scheme)
    return weights.to_numpy(dtype=float)


def best_time(
    function: Callable[[pd.DataFrame], np.ndarray], sample: pd.DataFrame, repeats: int
) -> tuple[float, np.ndarray]:
    function(sample)  # untimed warm-up for every method alike (first-call costs, caches)
    best = float("inf")
    weights = np.empty(0)
    for _ in range(repeats):
        start = time.perf_counter()
        weights = function(sample)
        best = min(best, time.perf_counter() - start)
    return best, weights / weights.mean()


def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


ANSWERS = ["Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree"]


def with_questions(sample: pd.DataFrame, questions: int, seed: int = 7) -> pd.DataFrame:
    """Add `questions` agreement questions (q1, q2, ...), answers leaning with age and sex, 5% unanswered."""
    rng = np.random.default_rng(seed)
    n = len(sample)
    lean = sample["age"].cat.codes.to_numpy() / 7 - 0.5 + (sample["sex"].cat.codes.to_numpy() - 0.5) * 0.4
    columns = {}
    for q in range(questions):
        score = rng.normal(lean * rng.uniform(0.5, 2.0), 1.0, n)
        codes = np.digitize(score, [-1.2, -0.4, 0.4, 1.2])
        codes[rng.random(n) < 0.05] = -1
        columns[f"q{q + 1}"] = pd.Categorical.from_codes(codes, categories=ANSWERS)
    return sample.assign(**columns)


def ours_with_intervals(sample: pd.DataFrame, questions: list[str]) -> pd.DataFrame:
    """Rake, then every question's raked shares with their linearised standard errors (from the rows)."""
    from representativeness.stats.weighted_results import weighted_results

    characteristics = list(LABELS)
    raked = rake(sample[characteristics], targets(), tol=TOL, max_iter=MAX_ITER)
    rows = []
    for question in questions:
        cells = sample.groupby([*characteristics, question], observed=True, dropna=False).size().rename("n")
        cells = cells[cells > 0].reset_index()
        table = weighted_results(cells, question, raked, count="n", options=ANSWERS).table
        rows += [(question, answer, r.weighted_share, r.weighted_se) for answer, r in table.iterrows()]
    return pd.DataFrame(rows, columns=["question", "answer", "share", "se"])


def against_r(n: int, questions: int, repeats: int) -> None:
    """Rake and linearised standard errors for every question: ours against R's survey package."""
    import subprocess
    import tempfile

    sample = with_questions(synthetic_sample(n), questions)
    names = [f"q{q + 1}" for q in range(questions)]
    ours_with_intervals(sample.head(20_000), names)  # untimed warm-up
    best = float("inf")
    ours = pd.DataFrame()
    for _ in range(repeats):
        start = time.perf_counter()
        ours = ours_with_intervals(sample, names)
        best = min(best, time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as folder:
        data, target_file, output = (Path(folder) / name for name in ("sample.csv", "targets.csv", "r.csv"))
        sample.to_csv(data, index=False)
        pd.DataFrame(
            [
                (c, label, share)
                for c, labels in LABELS.items()
                for label, share in zip(labels, TARGET_SHARES[c], strict=True)
            ],
            columns=["characteristic", "category", "share"],
        ).to_csv(target_file, index=False)
        script = Path(__file__).with_name("weighting_survey.R")
        done = subprocess.run(
            ["Rscript", str(script), str(data), str(target_file), str(output)], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"R failed: {done.stderr[-2000:]}")
        r_seconds = float(done.stdout.split("seconds")[-1])
        theirs = pd.read_csv(output)
    both = ours.merge(theirs, on=["question", "answer"], suffixes=("", "_r"))
    print(f"\n{n:,} respondents, {questions} questions: rake, then every answer's share and linearised SE")
    print(f"{'method':<22}{'seconds':>10}{'x ours':>10}")
    print(f"{'ours':<22}{best:>10.3f}{1:>10.1f}")
    print(f"{'R survey (calibrate)':<22}{r_seconds:>10.3f}{r_seconds / best:>10.1f}")
    print(
        f"{len(both)} answers compared: max |share - R| {np.max(np.abs(both['share'] - both['share_r'])):.2e}, "
        f"max |SE - R| {np.max(np.abs(both['se'] - both['se_r'])):.2e}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--against-r",
        action="store_true",
        help="Instead: rake and linearised intervals for --questions questions, ours against R's survey.",
    )
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    if args.against_r:
        for n in args.sizes:
            against_r(n, args.questions, args.repeats)
        return
    # Import the peers before any timing (balance's import alone takes seconds), hiding balance's
    # welcome banner and quietening the INFO logging its import switches on. A peer that is not installed
    # (the optional "bench" extra) is left out, and said, so the benchmark of ours still runs.
    peers = {"balance": run_balance, "weightipy": run_weightipy}
    missing = []
    for package in list(peers):
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                importlib.import_module(package)
        except ImportError:
            missing.append(package)
            del peers[package]
    logging.getLogger("balance").setLevel(logging.ERROR)

    print(
        f"Raking benchmark: tolerance {TOL:g} (largest relative margin error), max {MAX_ITER} iterations, "
        f"best of {args.repeats}"
    )
    print(
        f"numpy {np.__version__}, pandas {pd.__version__}, balance {version('balance')}, "
        f"weightipy {version('weightipy')}"
    )
    if missing:
        print(
            f"Not compared with {' and '.join(missing)}: not installed. Install the optional extra with "
            "`.venv/bin/pip install -e '.[bench]'` to compare."
        )
    methods: list[tuple[str, Callable[[pd.DataFrame], np.ndarray]]] = [("ours (rake)", run_ours), *peers.items()]
    for n in args.sizes:
        sample = synthetic_sample(n)
        cells = len(sample.drop_duplicates())
        print(f"\n{n:,} respondents, 5 characteristics (8 x 2 x 19 x 2 x 10), {cells:,} distinct cells")
        print(f"{'method':<14}{'seconds':>10}{'x ours':>10}{'max |w - ours|':>17}{'margin error':>15}")
        ours_time = 0.0
        ours = np.empty(0)
        for name, function in methods:
            seconds, weights = best_time(function, sample, args.repeats)
            if name.startswith("ours"):
                ours_time, ours = seconds, weights
            difference = float(np.max(np.abs(weights - ours)))
            print(
                f"{name:<14}{seconds:>10.3f}{seconds / ours_time:>10.1f}{difference:>17.2e}"
                f"{max_margin_error(sample, weights):>15.2e}"
            )


if __name__ == "__main__":
    main()
