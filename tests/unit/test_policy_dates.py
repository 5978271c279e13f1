"""The policy's "last updated" date: formats, which date wins, and the 12-month boundary (CA-P2)."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.policy import (
    PolicyDate,
    find_policy_date,
    find_policy_dates,
    policy_age_days,
    within_months,
)

D = dt.date

# (policy text, expected date, precision, label)
REAL_WORLD_FORMATS = [
    ("Last Updated: January 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("Last updated January 5th, 2026", D(2026, 1, 5), "day", "updated"),
    ("Last updated: 5th of January, 2026", D(2026, 1, 5), "day", "updated"),
    ("Last Updated: Monday, January 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("LAST UPDATED: JANUARY 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("Effective 12/25/2025", D(2025, 12, 25), "day", "effective"),
    ("Revised 5 Jan 2026", D(2026, 1, 5), "day", "revised"),
    ("Revised: 05-Jan-2026", D(2026, 1, 5), "day", "revised"),
    ("Effective Date: 2026-01-05", D(2026, 1, 5), "day", "effective"),
    ("Last updated: 2026-01-05T14:30:00Z", D(2026, 1, 5), "day", "updated"),
    ("Updated: 2026-01-05T23:30:00.000-08:00", D(2026, 1, 5), "day", "updated"),
    ("Updated: 2026-01-05 14:30:00+02:00", D(2026, 1, 5), "day", "updated"),
    ("Last revised: 2026/01/05", D(2026, 1, 5), "day", "revised"),
    ("Updated: Jan. 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("Last Update: Sept. 15, 2025", D(2025, 9, 15), "day", "updated"),
    ("Last modified on 5 January 2026", D(2026, 1, 5), "day", "modified"),
    ("Updated on January 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("Date of last revision: 5 January 2026", D(2026, 1, 5), "day", "revised"),
    ("Date Last Updated: 1/15/2026", D(2026, 1, 15), "day", "updated"),
    ("This policy was last updated on March 3, 2025.", D(2025, 3, 3), "day", "updated"),
    ("We last updated this Privacy Policy on January 5, 2026.", D(2026, 1, 5), "day", "updated"),
    ("This Privacy Notice is effective as of January 1, 2026.", D(2026, 1, 1), "day", "effective"),
    ("Effective Date of this Privacy Policy: January 1, 2026", D(2026, 1, 1), "day", "effective"),
    ("Privacy Policy (updated March 3, 2025)", D(2025, 3, 3), "day", "updated"),
    ("Privacy Policy – Effective January 1, 2026", D(2026, 1, 1), "day", "effective"),
    ("**Last Updated:** January 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("Acme Privacy Center | Updated Jan 5, 2026 | Contact", D(2026, 1, 5), "day", "updated"),
    ("Version 4 – Last revised 02/03/2025 by Legal", D(2025, 2, 3), "day", "revised"),
    ("Last updated on: January 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("The effective date of this policy is January 1, 2026.", D(2026, 1, 1), "day", "effective"),
    ("Last updated\n\nJanuary 5, 2026", D(2026, 1, 5), "day", "updated"),
    ("Last\u00a0updated:\u00a0January\u00a05,\u00a02026", D(2026, 1, 5), "day", "updated"),
    ("Last reviewed: February 2, 2026", D(2026, 2, 2), "day", "reviewed"),
    # Month precision
    ("Effective as of January 2026", D(2026, 1, 1), "month", "effective"),
    ("Last updated: Jan. 2026", D(2026, 1, 1), "month", "updated"),
    ("Updated: 2026-01", D(2026, 1, 1), "month", "updated"),
    # Day-first dotted European dates: supported, read day-first (see test below for the flag)
    ("LAST UPDATED: 25.12.2025", D(2025, 12, 25), "day", "updated"),
]


@pytest.mark.parametrize(("text", "expected", "precision", "label"), REAL_WORLD_FORMATS)
def test_reads_the_formats_real_policies_print(
    text: str, expected: dt.date, precision: str, label: str
) -> None:
    found = find_policy_date(text)
    assert found is not None
    assert found.date == expected
    assert found.precision == precision
    assert found.label == label
    assert text[found.start : found.end] == found.matched_text


def test_matched_text_and_offsets_point_into_the_policy() -> None:
    text = "Acme Privacy Policy\nLast Updated: January 5, 2026\nWe collect data."
    found = find_policy_date(text)
    assert found is not None
    assert found.matched_text == "Last Updated: January 5, 2026"
    assert (found.start, found.end) == (20, 49)


@pytest.mark.parametrize(
    ("text", "primary", "other"),
    [
        ("Effective 01/05/2026", D(2026, 1, 5), D(2026, 5, 1)),  # US month-first
        ("Updated on 1/5/26", D(2026, 1, 5), D(2026, 5, 1)),
        ("LAST UPDATED: 01.05.2026", D(2026, 5, 1), D(2026, 1, 5)),  # dotted: day-first
    ],
)
def test_ambiguous_numeric_dates_are_flagged_with_the_other_reading(
    text: str, primary: dt.date, other: dt.date
) -> None:
    found = find_policy_date(text)
    assert found is not None
    assert (found.date, found.ambiguous, found.alternative_date) == (primary, True, other)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Effective 12/25/2025", D(2025, 12, 25)),  # only month-first is valid
        ("Effective 25/12/2025", D(2025, 12, 25)),  # only day-first is valid
        ("Effective 05/05/2026", D(2026, 5, 5)),  # both readings are the same day
    ],
)
def test_numeric_dates_with_one_valid_reading_are_not_ambiguous(text: str, expected: dt.date) -> None:
    found = find_policy_date(text)
    assert found is not None
    assert (found.date, found.ambiguous, found.alternative_date) == (expected, False, None)


def test_version_numbers_are_not_read_as_dotted_dates() -> None:
    assert find_policy_date("Revised 1.2.3 of the terms") is None
    assert find_policy_date("Last updated: v2.1.24") is None


def test_date_in_a_heading_passed_separately() -> None:
    text = "We collect the personal information described below."
    found = find_policy_date(text, headings=["Privacy Policy (updated March 3, 2025)"])
    assert found is not None
    assert found.date == D(2025, 3, 3)
    assert (found.source, found.heading_index, found.context) == ("heading", 0, "heading")
    assert found.matched_text == "updated March 3, 2025"


def test_heading_found_in_the_text_gets_offsets_into_the_text() -> None:
    # A bare "Updated" mid-line counts only because this line is a heading.
    text = "Our Privacy Commitments, Updated March 3, 2025\nWe collect the personal information below."
    assert find_policy_date(text) is None
    found = find_policy_date(text, headings=["Our Privacy Commitments,  Updated March 3, 2025"])
    assert found is not None
    assert (found.date, found.source, found.context) == (D(2025, 3, 3), "text", "heading")
    assert text[found.start : found.end] == "Updated March 3, 2025"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "We respect your privacy and protect your personal information.",
        "Founded in 2018, we acquired Acme Corp. on March 3, 2019. Since January 2020 we have grown.\n"
        "© 2024 Example, Inc. All rights reserved.",
        "The CCPA became effective on January 1, 2020, and gives California residents rights.",
        "Effective January 1, 2020, California residents have new rights over their data.",
        "You have rights under the California Consumer Privacy Act, as amended by the California Privacy "
        "Rights Act (effective January 1, 2023), which gives you more control over your personal data.",
        "We will notify you when this policy is updated. Copyright 2019 Example.",
        "Last updated: recently",
        "Revised in 2024 to reflect new laws.",
        # From a news page with a OneTrust CCPA banner: a dated photo caption, no policy date.
        "Taliban fighters storm into the Kabul airport, in Afghanistan, Aug. 31, 2021.\n"
        "Under the California Consumer Privacy Act, you have the right to opt-out of the sale of your "
        "personal information to third parties.",
    ],
)
def test_unlabelled_or_prose_dates_give_none(text: str) -> None:
    assert find_policy_date(text) is None


def test_updated_wins_over_effective_even_when_older() -> None:
    text = "Effective Date: January 1, 2026\nLast Updated: December 15, 2025\n"
    found = find_policy_date(text)
    assert found is not None
    assert (found.date, found.label) == (D(2025, 12, 15), "updated")


def test_most_recent_updated_date_wins_and_all_are_recorded() -> None:
    text = (
        "Effective Date: January 1, 2020\n"
        "Last Updated: March 1, 2024\n"
        "...\n"
        "California Supplement\n"
        "Last Updated: June 5, 2025\n"
    )
    candidates = find_policy_dates(text)
    assert [(c.label, c.date) for c in candidates] == [
        ("effective", D(2020, 1, 1)),
        ("updated", D(2024, 3, 1)),
        ("updated", D(2025, 6, 5)),
    ]
    found = find_policy_date(text)
    assert found is not None
    assert found.date == D(2025, 6, 5)


def test_printed_date_wins_over_one_inside_a_sentence() -> None:
    text = (
        "Effective Date: January 1, 2026\n"
        "Our list of service providers was last updated on March 1, 2019, and is available on request.\n"
    )
    found = find_policy_date(text)
    assert found is not None
    assert (found.date, found.label) == (D(2026, 1, 1), "effective")
    assert [c.context for c in find_policy_dates(text)] == ["line_start", "in_sentence"]


def test_labelled_date_inside_a_sentence_is_used_when_nothing_else_is_printed() -> None:
    found = find_policy_date("Our service provider list was last updated on March 1, 2025, see below.")
    assert found is not None
    assert (found.date, found.context) == (D(2025, 3, 1), "in_sentence")


def _policy_date(day: dt.date, precision: str = "day") -> PolicyDate:
    return PolicyDate(date=day, precision=precision, label="updated", matched_text="", start=0, end=0)


def test_age_in_days_for_a_day_precise_date() -> None:
    assert policy_age_days(_policy_date(D(2025, 1, 5)), D(2026, 1, 5)) == 365
    assert policy_age_days(D(2025, 1, 5), D(2026, 1, 6)) == 366
    assert policy_age_days(D(2025, 1, 5), dt.datetime(2026, 1, 6, 12, 0)) == 366


def test_month_precision_counts_from_the_last_day_of_the_month() -> None:
    january = _policy_date(D(2026, 1, 1), "month")
    assert january.latest_possible_date == D(2026, 1, 31)
    assert policy_age_days(january, D(2026, 3, 1)) == 29
    assert policy_age_days(_policy_date(D(2024, 2, 1), "month"), D(2024, 3, 1)) == 1  # leap February


def test_month_precision_end_to_end() -> None:
    found = find_policy_date("Effective as of January 2025")
    assert found is not None
    assert policy_age_days(found, D(2026, 1, 31)) == 365
    assert within_months(found, D(2026, 1, 31))
    assert not within_months(found, D(2026, 2, 1))


def test_future_date_gives_a_negative_age() -> None:
    assert policy_age_days(_policy_date(D(2026, 3, 1)), D(2026, 2, 1)) == -28
    assert within_months(D(2026, 3, 1), D(2026, 2, 1))  # "within"; the caller checks the sign


@pytest.mark.parametrize(
    ("policy", "audit", "expected"),
    [
        (D(2025, 1, 5), D(2026, 1, 5), True),  # 365 days, exactly 12 months
        (D(2025, 1, 4), D(2026, 1, 5), False),  # 366 days, one day over
        (D(2025, 1, 5), D(2026, 1, 6), False),  # 366 days after
        (D(2023, 3, 1), D(2024, 3, 1), True),  # 366 days across Feb 29, still 12 calendar months
        (D(2024, 2, 29), D(2025, 2, 28), True),  # month end clamps to the shorter month
        (D(2024, 2, 29), D(2025, 3, 1), False),
        (D(2026, 1, 5), D(2026, 1, 5), True),  # same day
    ],
)
def test_within_twelve_calendar_months(policy: dt.date, audit: dt.date, expected: bool) -> None:
    assert within_months(policy, audit) is expected


def test_within_other_month_counts() -> None:
    assert within_months(D(2025, 7, 31), D(2025, 9, 30), months=2)
    assert not within_months(D(2025, 7, 31), D(2025, 10, 1), months=2)
