"""Time to protect an engagement plan's figures as grids (plans.protection, disclosure.protect_grid).

No database: 1,500 synthetic respondents (seeded), four target groups over two characteristics (Asian,
and Indian and Pakistani inside it; Disabled), spread over the weeks and the activities given, protected
for an officer without the equality-data permission as the plan page does. Prints the seconds, the
linear programmes solved and how many figures were hidden.

    .venv/bin/python benchmarks/plan_grid.py                  # 8 weeks, 5 activities
    .venv/bin/python benchmarks/plan_grid.py --weeks 12 --activities 8
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import django_setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--activities", type=int, default=5)
    parser.add_argument("--respondents", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    django_setup()
    import representativeness.disclosure.audit as audit
    from plans.protection import protect_plan
    from plans.selectors import PlanPeople
    from representativeness.disclosure import Audience, Protection

    solved = [0]
    linprog = audit.linprog

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        solved[0] += 1
        return linprog(*args, **kwargs)

    audit.linprog = counted
    rng = random.Random(options.seed)
    activities = list(range(100, 100 + options.activities))
    week, activity, members = {}, {}, {1: set(), 2: set(), 3: set(), 4: set()}
    for i in range(options.respondents):
        response = str(i)
        week[response] = rng.randint(1, options.weeks)
        activity[response] = rng.choice([None] * 6 + activities)
        u = rng.random()
        if u < 0.14:
            members[1].add(response)  # Asian
            if u < 0.10:
                members[2].add(response)  # Indian
            elif u < 0.14:
                members[3].add(response)  # Pakistani
        if rng.random() < 0.05:
            members[4].add(response)  # Disabled
    people = PlanPeople(weeks=options.weeks, week=week, activity=activity, members=members)
    start = time.perf_counter()
    figures = protect_plan(
        people,
        characteristics={1: "ethnic_group", 2: "ethnic_group", 3: "ethnic_group", 4: "disability"},
        published={1, 2, 3, 4},
        activities=activities,
        week_starts=[dt.date(2027, 1, 4) + dt.timedelta(days=7 * n) for n in range(options.weeks)],
        protection=Protection(audience=Audience.PROTECTED, threshold=10, key=b"benchmark"),
    )
    seconds = time.perf_counter() - start
    weeks = [w.count for shown in figures.weeks.values() for w in shown]
    cells = list(figures.from_group.values())
    print(
        f"{options.weeks} weeks, {options.activities} activities: {seconds:.2f} s, {solved[0]} linear programmes; "
        f"hidden {weeks.count(None)} of {len(weeks)} weekly figures, "
        f"{cells.count(None)} of {len(cells)} activity figures"
    )


if __name__ == "__main__":
    main()
