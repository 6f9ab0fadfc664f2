"""The standard "About you" questions, worded to the GSS harmonised standards and Census 2021.

This module is data. Each option says which Census 2021 category it counts towards, so that the
representativeness report can compare respondents with census baselines, or says explicitly that it
has none. Change the wording or the mapping only by bumping LIBRARY_VERSION: every EqualityProfile
records the version its answers were given under.

Census labels are the ONS output labels (see representativeness/census/tables.py); a test checks
every mapped label exists there.
"""

from dataclasses import dataclass, field

LIBRARY_VERSION = "2026.1"

PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True)
class CensusCategory:
    """Where an option is counted: a Census 2021 table and one of its categories."""

    table: str
    category: str
    level: str = "detailed"  # or "broad", where the survey option is coarser than the census detail


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    census: CensusCategory | None
    # Why there is no census counterpart; required when `census` is None (and not "Prefer not to say").
    unmapped_reason: str = ""
    group: str = ""
    write_in: bool = False


@dataclass(frozen=True)
class StandardQuestion:
    key: str
    characteristic: str  # the EqualityProfile column the answer is stored in
    text: str
    hint: str
    why_we_ask: str
    how_we_use: str
    options: tuple[Option, ...] = field(default_factory=tuple)
    question_type: str = "single_choice"
    minimum_age: int | None = None  # asked only of respondents at least this old (or whose age is unknown)
    follows: tuple[str, str] | None = None  # (question key, option value) this question is shown after
    census_table: str | None = None
    # What error messages and write-in labels call the answer, where the question's wording does not say
    # (see surveys/forms/naming.py): "Describe your sexual orientation (optional)".
    answer_name: str = ""

    def option(self, value: str) -> Option:
        for option in self.options:
            if option.value == value:
                return option
        raise KeyError(f"{self.key} has no option {value!r}")


def _pnts() -> Option:
    return Option(PREFER_NOT_TO_SAY, "Prefer not to say", census=None, unmapped_reason="Not an answer.")


def _options(table: str, pairs: list[tuple[str, str, str]]) -> list[Option]:
    """Options whose census category is named beside them: (value, label, census category)."""
    return [Option(value, label, CensusCategory(table, category)) for value, label, category in pairs]


_HOW_WE_USE_DEFAULT = (
    "We count answers together and compare them with the 2021 Census for the area, to see whether the people who "
    "answered reflect the community. Nobody's answer is looked at on its own or used to make decisions about them."
)

_ETHNIC_GROUPS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "White",
        [
            (
                "white_british",
                "English, Welsh, Scottish, Northern Irish or British",
                "English, Welsh, Scottish, Northern Irish or British",
            ),
            ("white_irish", "Irish", "Irish"),
            ("gypsy_irish_traveller", "Gypsy or Irish Traveller", "Gypsy or Irish Traveller"),
            ("roma", "Roma", "Roma"),
            ("other_white", "Any other White background", "Other White"),
        ],
    ),
    (
        "Mixed or Multiple ethnic groups",
        [
            ("white_black_caribbean", "White and Black Caribbean", "White and Black Caribbean"),
            ("white_black_african", "White and Black African", "White and Black African"),
            ("white_asian", "White and Asian", "White and Asian"),
            ("other_mixed", "Any other Mixed or Multiple ethnic background", "Other Mixed or Multiple ethnic groups"),
        ],
    ),
    (
        "Asian or Asian British",
        [
            ("indian", "Indian", "Indian"),
            ("pakistani", "Pakistani", "Pakistani"),
            ("bangladeshi", "Bangladeshi", "Bangladeshi"),
            ("chinese", "Chinese", "Chinese"),
            ("other_asian", "Any other Asian background", "Other Asian"),
        ],
    ),
    (
        "Black, Black British, Caribbean or African",
        [
            ("caribbean", "Caribbean", "Caribbean"),
            ("african", "African", "African"),
            ("other_black", "Any other Black, Black British, or Caribbean background", "Other Black"),
        ],
    ),
    (
        "Other ethnic group",
        [
            ("arab", "Arab", "Arab"),
            ("other_ethnic_group", "Any other ethnic group", "Any other ethnic group"),
        ],
    ),
]

_WRITE_IN_ETHNIC = {"other_white", "other_mixed", "other_asian", "other_black", "other_ethnic_group"}


def _ethnic_options() -> list[Option]:
    options = []
    for group, pairs in _ETHNIC_GROUPS:
        for value, label, category in pairs:
            options.append(
                Option(value, label, CensusCategory("TS021", category), group=group, write_in=value in _WRITE_IN_ETHNIC)
            )
    return options


_COUNTED_WITH_FOLLOW_UP = "Counted in the census category of the answer to the follow-up question."
_NO_CENSUS_TABLE = "Census 2021 has a table for this (TS002), but Chorus does not import it yet."

STANDARD_QUESTIONS: tuple[StandardQuestion, ...] = (
    StandardQuestion(
        key="date_of_birth",
        characteristic="age",
        text="What is your date of birth?",
        hint="For example, 27 3 1985",
        question_type="date_of_birth",
        census_table="TS007",
        why_we_ask="To see whether people of all ages have taken part. Some later questions are only for people "
        "aged 16 or over.",
        how_we_use="We work out your age in years and keep only that, never your date of birth. Ages are grouped "
        "into bands and compared with the 2021 Census.",
    ),
    StandardQuestion(
        key="sex",
        characteristic="sex",
        text="What is your sex?",
        hint="A question about gender identity will follow.",
        census_table="TS008",
        why_we_ask="To check that women and men are both heard in this consultation.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(*_options("TS008", [("female", "Female", "Female"), ("male", "Male", "Male")]), _pnts()),
    ),
    StandardQuestion(
        key="gender_identity",
        answer_name="your gender identity",
        characteristic="gender_identity",
        text="Is the gender you identify with the same as your sex registered at birth?",
        hint="This question is voluntary.",
        minimum_age=16,
        census_table="TS078",
        why_we_ask="To check that trans people's views are heard. The Equality Act 2010 protects people from "
        "discrimination because of gender reassignment.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            # The survey asks yes/no, so gender identity is compared at the census's broad level.
            Option(
                "yes",
                "Yes",
                CensusCategory("TS078", "Gender identity the same as sex registered at birth", level="broad"),
            ),
            Option(
                "no",
                "No, enter gender identity (optional)",
                CensusCategory("TS078", "Gender identity different from sex registered at birth", level="broad"),
                write_in=True,
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="sexual_orientation",
        answer_name="your sexual orientation",
        characteristic="sexual_orientation",
        text="Which of the following best describes your sexual orientation?",
        hint="This question is voluntary.",
        minimum_age=16,
        census_table="TS077",
        why_we_ask="To check that lesbian, gay, bisexual and other people's views are heard.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            *_options(
                "TS077",
                [
                    ("straight", "Straight or Heterosexual", "Straight or Heterosexual"),
                    ("gay_lesbian", "Gay or Lesbian", "Gay or Lesbian"),
                    ("bisexual", "Bisexual", "Bisexual"),
                ],
            ),
            Option(
                "other",
                "Other sexual orientation, please describe (optional)",
                CensusCategory("TS077", "All other sexual orientations"),
                write_in=True,
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="ethnic_group",
        characteristic="ethnic_group",
        text="What is your ethnic group?",
        hint="Choose one option that best describes your ethnic group or background.",
        census_table="TS021",
        why_we_ask="To check that people from every ethnic group are heard, as the Equality Act 2010 asks of us.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(*_ethnic_options(), _pnts()),
    ),
    StandardQuestion(
        key="long_term_condition",
        characteristic="long_term_condition",
        text="Do you have any physical or mental health conditions or illnesses lasting or expected to last "
        "12 months or more?",
        hint="",
        census_table="TS038",
        why_we_ask="To check that disabled people and people with long-term conditions are heard.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            Option("yes", "Yes", census=None, unmapped_reason=_COUNTED_WITH_FOLLOW_UP),
            Option("no", "No", CensusCategory("TS038", "No long term physical or mental health conditions")),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="disability",
        characteristic="disability",
        text="Do any of your conditions or illnesses reduce your ability to carry out day-to-day activities?",
        hint="",
        follows=("long_term_condition", "yes"),
        census_table="TS038",
        why_we_ask="Together with the previous question, this tells us whether you are disabled as the "
        "Equality Act 2010 defines it.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            *_options(
                "TS038",
                [
                    ("a_lot", "Yes, a lot", "Day-to-day activities limited a lot"),
                    ("a_little", "Yes, a little", "Day-to-day activities limited a little"),
                    (
                        "not_at_all",
                        "Not at all",
                        "Has long term physical or mental health condition but day-to-day activities are not limited",
                    ),
                ],
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="religion",
        characteristic="religion",
        text="What is your religion?",
        hint="This question is voluntary.",
        census_table="TS030",
        why_we_ask="To check that people of every religion or belief, and of none, are heard.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            *_options(
                "TS030",
                [
                    ("no_religion", "No religion", "No religion"),
                    ("christian", "Christian", "Christian"),
                    ("buddhist", "Buddhist", "Buddhist"),
                    ("hindu", "Hindu", "Hindu"),
                    ("jewish", "Jewish", "Jewish"),
                    ("muslim", "Muslim", "Muslim"),
                    ("sikh", "Sikh", "Sikh"),
                ],
            ),
            Option(
                "other",
                "Any other religion, write in (optional)",
                CensusCategory("TS030", "Other religion"),
                write_in=True,
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="unpaid_care",
        characteristic="unpaid_care",
        text="Do you look after, or give any help or support to, anyone because they have long-term physical or "
        "mental health conditions or illnesses, or problems related to old age?",
        hint="Exclude anything you do as part of your paid employment.",
        census_table="TS039",
        why_we_ask="To check that unpaid carers, whose time is often short, are heard.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            *_options(
                "TS039",
                [
                    ("no", "No", "Provides no unpaid care"),
                    ("9_or_less", "Yes, 9 hours a week or less", "Provides 9 hours or less unpaid care a week"),
                    ("10_to_19", "Yes, 10 to 19 hours a week", "Provides 10 to 19 hours unpaid care a week"),
                    ("20_to_34", "Yes, 20 to 34 hours a week", "Provides 20 to 34 hours unpaid care a week"),
                    ("35_to_49", "Yes, 35 to 49 hours a week", "Provides 35 to 49 hours unpaid care a week"),
                    ("50_or_more", "Yes, 50 or more hours a week", "Provides 50 or more hours unpaid care a week"),
                ],
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="main_language",
        characteristic="main_language",
        text="What is your main language?",
        hint="",
        census_table="TS029",
        why_we_ask="To check that people whose main language is not English can take part, and whether we "
        "should offer translations.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            Option("english", "English", CensusCategory("TS029", "Main language is English")),
            Option(
                "other",
                "Other, write in (optional)",
                census=None,
                unmapped_reason=_COUNTED_WITH_FOLLOW_UP,
                write_in=True,
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="english_proficiency",
        characteristic="english_proficiency",
        text="How well can you speak English?",
        hint="",
        follows=("main_language", "other"),
        census_table="TS029",
        why_we_ask="To check whether people who find English hard are taking part, so we can offer other ways in.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        options=(
            *_options(
                "TS029",
                [
                    ("very_well", "Very well", "Can speak English very well"),
                    ("well", "Well", "Can speak English well"),
                    ("not_well", "Not well", "Cannot speak English well"),
                    ("not_at_all", "Not at all", "Cannot speak English"),
                ],
            ),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="marital_status",
        characteristic="marital_status",
        text="What is your legal marital or registered civil partnership status?",
        hint="",
        minimum_age=16,
        why_we_ask="Marriage and civil partnership is a protected characteristic under the Equality Act 2010.",
        how_we_use="We count answers together to check that no group is left out.",
        options=(
            *[
                Option(value, label, census=None, unmapped_reason=_NO_CENSUS_TABLE)
                for value, label in [
                    ("never_married", "Never married and never registered a civil partnership"),
                    ("married", "Married"),
                    ("civil_partnership", "In a registered civil partnership"),
                    ("separated_married", "Separated, but still legally married"),
                    ("separated_civil_partnership", "Separated, but still legally in a civil partnership"),
                    ("divorced", "Divorced"),
                    ("dissolved", "Formerly in a civil partnership which is now legally dissolved"),
                    ("widowed", "Widowed"),
                    ("surviving_partner", "Surviving partner from a registered civil partnership"),
                ]
            ],
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="pregnancy",
        characteristic="pregnancy",
        text="Are you pregnant, or have you given birth in the last 26 weeks?",
        hint="",
        minimum_age=16,
        why_we_ask="Pregnancy and maternity is a protected characteristic under the Equality Act 2010.",
        how_we_use="We count answers together to check that no group is left out.",
        options=(
            Option("yes", "Yes", census=None, unmapped_reason="The census does not ask about pregnancy or maternity."),
            Option("no", "No", census=None, unmapped_reason="The census does not ask about pregnancy or maternity."),
            _pnts(),
        ),
    ),
    StandardQuestion(
        key="area",
        characteristic="area",
        text="Which ward do you live in?",
        hint="If you do not know, choose the area you live closest to.",
        question_type="dropdown",
        census_table="TS008",
        why_we_ask="To check that people from every part of the borough are heard.",
        how_we_use=_HOW_WE_USE_DEFAULT,
        # The options are the council's wards (ResidenceArea rows), each counted against its own population.
    ),
)

QUESTIONS_BY_KEY: dict[str, StandardQuestion] = {q.key: q for q in STANDARD_QUESTIONS}

DEFAULT_SECTION_INTRODUCTION = (
    "These questions are about you. They are all optional: you can answer some, none, or choose "
    '"Prefer not to say".\n\n'
    "We ask them to check that the people who answer our consultations reflect everyone who lives here, "
    "as the Public Sector Equality Duty requires of us. Your answers are kept apart from your views on the "
    "consultation, are only seen by a small number of staff who analyse them, and are only ever published "
    "as totals, with small numbers hidden.\n\n"
    "We delete these answers after the consultation closes, as our privacy notice explains."
)
