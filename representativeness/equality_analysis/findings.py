"""The analysis in plain English, most important first, never more certain than the data.

A finding is written only for a group flagged higher or lower (a difference the adjusted test and the
interval both support), with both sides' shares and intervals. Groups that are too small to tell are
named as such, never as "no difference"; so are groups whose figures are hidden to protect the people
who answered (from the published figures nobody can tell). Everything is written from the published
figures, so the protected audience's findings hold only what its tables show.
"""

from collections import defaultdict

from common.numbers import plain_number
from representativeness.disclosure import rounding
from representativeness.equality_analysis.analysis import EqualityAnalysis, Finding, GroupResult, OutcomeResult
from representativeness.equality_analysis.characteristics import mid_sentence
from representativeness.equality_analysis.items import quoted_title
from representativeness.stats.group_differences import DifferenceFlag

_BAND_ORDER = {"< 0.001": 0, "< 0.01": 1, "< 0.05": 2}


def percent(share: float | None) -> str:
    """A proportion as a whole percentage: 0.4149 -> "41%"."""
    rounded = rounding.whole_percent(share)
    return "?" if rounded is None else f"{round(rounded * 100):d}%"


def in_points(share: float) -> str:
    """A threshold given as a proportion, in percentage points as a person writes them: 0.125 -> "12.5",
    0.1 -> "10" (the difference rule's margin, on the page and in the EqIA summary)."""
    return plain_number(share * 100, places=2)


def _range(low: float | None, high: float | None) -> str:
    return f"{percent(low).rstrip('%')} to {percent(high)}"


def finding_text(outcome: OutcomeResult, group: GroupResult, figures: dict, *, weighted: bool = False) -> str:
    """ "Disabled respondents were less likely to agree with “…” (41%, 95% CI 35 to 47%) than other
    respondents (63%, 60 to 66%): 22 percentage points lower."""
    direction = "more" if figures["flag"] == DifferenceFlag.HIGHER else "less"
    points = abs(round((rounding.whole_percent(figures["difference"]) or 0) * 100))
    return (
        f"{group.name} were {direction} likely to {outcome.phrase} ({percent(figures['share'])}, 95% CI "
        f"{_range(figures['low'], figures['high'])}) than other respondents ({percent(figures['others_share'])}, "
        f"{_range(figures['others_low'], figures['others_high'])}): {points} percentage point"
        f"{'' if points == 1 else 's'} {'higher' if direction == 'more' else 'lower'}"
        f"{' once weighted to the census' if weighted else ''}."
    )


def _importance(finding: Finding) -> tuple[float, float]:
    q = finding.q_value
    band = q if q is not None else 1.0
    return band, -abs(finding.difference or 0.0)


def findings_write(analysis: EqualityAnalysis) -> None:
    """Fill the analysis's findings, the groups too small to tell and where weighting changes a conclusion."""
    findings: list[Finding] = []
    # name -> [can't tell from what is published, compared, hidden, too few in the group compared with them]
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    changes: list[str] = []
    widened = 0  # similar as answered, can't tell once weighted: summarised, not listed
    for outcome in analysis.outcomes:
        for characteristic in outcome.characteristics:
            for group in characteristic.groups:
                figures = group.figures
                tally = tallies[f"{group.name} ({mid_sentence(characteristic.label)})"]
                if group.suppressed:  # compared, but nobody reading the published figures can tell
                    tally[0] += 1
                    tally[1] += 1
                    tally[2] += 1
                    continue
                if figures.get("flag") is None:
                    continue
                tally[1] += 1
                if figures["flag"] == DifferenceFlag.TOO_FEW_TO_TELL:
                    tally[0] += 1
                    tally[3] += _others_fewer(figures)
                if group.mirror:
                    continue  # the same comparison as the other group's, already written up
                if figures["flag"] in (DifferenceFlag.HIGHER, DifferenceFlag.LOWER):
                    findings.append(_finding(outcome, group, figures, weighted=False))
                weighted = group.weighted or {}
                if weighted.get("flag") in (DifferenceFlag.HIGHER, DifferenceFlag.LOWER) and (
                    weighted["flag"] != figures["flag"]
                ):
                    findings.append(_finding(outcome, group, weighted, weighted=True))
                if group.weighting_changes_flag and _widened_only(figures["flag"], weighted["flag"]):
                    widened += 1
                elif group.weighting_changes_flag:
                    changes.append(
                        f"{group.name}, “{outcome.answer}” to {quoted_title(outcome.question, outcome.row)}: "
                        f"{FLAG_WORDS[figures['flag']]} as answered, {FLAG_WORDS[weighted['flag']].lower()} "
                        "once weighted."
                    )
    analysis.findings = sorted(findings, key=_importance)
    analysis.too_few_to_tell = [
        _too_few_line(name, few=few, compared=compared, hidden=hidden, others_fewer=others_fewer)
        for name, (few, compared, hidden, others_fewer) in tallies.items()
        if few * 2 > compared
    ]
    analysis.without_findings = _without_findings(
        compared=sum(t[1] for t in tallies.values()),
        hidden=sum(t[2] for t in tallies.values()),
        too_few=bool(analysis.too_few_to_tell),
    )
    analysis.weighting_changes = changes
    analysis.weighting_widened = (
        f"{widened} further comparison{'s' if widened != 1 else ''} could not be told apart once weighted, because "
        "weighting widens the intervals."
        if widened
        else ""
    )


def _widened_only(answered: str, weighted: str) -> bool:
    """A change of flag that is no change of conclusion: similar as answered, too uncertain once weighted (a
    large design effect widens every interval). A difference that appears, disappears or reverses is listed."""
    return answered == DifferenceFlag.SIMILAR and weighted == DifferenceFlag.TOO_FEW_TO_TELL


_OTHERS_TOO_FEW = "too few in the group compared with them (everyone else who answered) to tell"


def _others_fewer(figures: dict) -> bool:
    """Whether a comparison is too uncertain because everyone else is the smaller side, not the group: a large
    group compared with a handful of others is not itself "too few". Decided on the published counts (both
    are shown wherever a comparison is), and said without either count."""
    mine, others = figures.get("respondents"), figures.get("others_respondents")
    return mine is not None and others is not None and others < mine


def _too_few_line(name: str, *, few: int, compared: int, hidden: int, others_fewer: int) -> str:
    """One group of the list of groups that can't be told about yet, saying truthfully why."""
    if others_fewer == few:
        return f"{name}: {_OTHERS_TOO_FEW} for {few} of {compared} answers"
    why = []
    if others_fewer:
        why.append(f"{others_fewer} because the group compared with them, everyone else who answered, is too few")
    if hidden:
        why.append(f"{hidden} hidden to protect the people who answered")
    return f"{name}: can't tell yet for {few} of {compared} answers" + (f" ({'; '.join(why)})" if why else "")


def _without_findings(*, compared: int, hidden: int, too_few: bool) -> str:
    """What to say when no group answered clearly differently: never more than the comparisons made allow."""
    if not compared:
        return "No groups could be compared, so this cannot say whether any group answered differently."
    if hidden:
        return (
            "No group answered any question clearly differently in the figures that can be shown, but some "
            "groups' figures are hidden to protect the people who answered, so this is not evidence that they "
            "did not."
        )
    plain = "No group answered any question clearly differently from everyone else"
    return f"{plain}, but for some groups it is too early to tell." if too_few else f"{plain}."


def _finding(outcome: OutcomeResult, group: GroupResult, figures: dict, *, weighted: bool) -> Finding:
    q = figures.get("q_value")
    if q is None:  # protected: order by the band
        q = {"< 0.001": 0.0005, "< 0.01": 0.005, "< 0.05": 0.03}.get(figures.get("q_band") or "", 1.0)
    return Finding(
        text=finding_text(outcome, group, figures, weighted=weighted),
        flag=figures["flag"],
        q_value=q,
        difference=figures.get("difference"),
        weighted=weighted,
    )


FLAG_WORDS = {
    DifferenceFlag.HIGHER.value: "Higher",
    DifferenceFlag.LOWER.value: "Lower",
    DifferenceFlag.SIMILAR.value: "Similar",
    DifferenceFlag.TOO_FEW_TO_TELL.value: "Can't tell yet",
}
