"""What a CCPA privacy policy must talk about, as data: one row of regexes per topic (CA-P3, §7011).

A compliance person can read and edit this table without touching the matcher in
:mod:`auditor.policy.contents`. Patterns are matched case-insensitively against whitespace-normalised
text: every run of whitespace is one space, curly quotes are straight and every dash is ``-``. So
write one literal space between words, ``'`` for apostrophes and ``-`` for hyphens and dashes.

``strong`` patterns name the topic itself: a match means the policy covers it ("found"). ``weak``
patterns are cues that the policy comes near the topic without naming it ("you may have rights",
"opt out" with no sale or sharing nearby): alone they give "ambiguous", which a person reviews.
Negation is not parsed: "we do not sell" is a weak opt-out cue, never a strong one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicPatterns:
    """The regexes that decide one policy-content topic."""

    title: str
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()


def near(first: str, second: str, gap: int = 100) -> str:
    """``first`` and ``second`` in either order, at most ``gap`` characters apart, in one sentence."""
    between = rf"[^.!?]{{0,{gap}}}?"
    return rf"(?:{first}){between}(?:{second})|(?:{second}){between}(?:{first})"


OPT_OUT = r"\bopt-? ?outs?\b"
SALE_OR_SHARING = (
    r"\b(?:sale|sales|sell|sells|selling|sold|share|shares|sharing"
    r"|targeted advertising|cross-context behaviou?ral advertising)\b"
)
SENSITIVE_PI = r"\bsensitive (?:personal )?(?:information|data)\b"
PERSONAL_INFO = r"(?:personal )?(?:information|data)"

# "You may have certain rights" names no right: a weak cue for each request-based right.
GENERIC_RIGHTS: tuple[str, ...] = (
    r"\b(?:you|consumers|residents|individuals) (?:may |might |also |will )?(?:have|has|be entitled to) "
    r"(?:certain |additional |specific |the following |several )?(?:privacy |data protection )?rights\b",
    r"\byour (?:california |state |privacy |consumer |data protection )*rights\b",
    r"\bexercise (?:your|these|those|such|any of (?:your|these)) (?:privacy )?rights\b",
)

TOPICS: dict[str, TopicPatterns] = {
    "right_to_know": TopicPatterns(
        title="Right to know / access",
        strong=(
            r"\bright to know\b",
            r"\bright (?:to|of) (?:request )?access\b",
            r"\bright to (?:request|obtain|receive) (?:that we disclose|disclosure|a copy|information about)",
            r"\brequest (?:access to|a copy of|that we disclose|disclosure of)\b",
            r"\brequests? to know\b",
            r"\bspecific pieces of personal information\b",
        ),
        weak=GENERIC_RIGHTS
        + (
            rf"\baccess (?:to )?your {PERSONAL_INFO}\b",
            rf"\b(?:review|see|view) the {PERSONAL_INFO} (?:that )?we (?:hold|have|keep|collect)",
        ),
    ),
    "right_to_delete": TopicPatterns(
        title="Right to delete",
        strong=(
            r"\bright to (?:request )?(?:the )?(?:delete|deletion|erasure|erase)\b",
            r"\brequest (?:that we |us to )?(?:delete|erase)\b",
            r"\brequest (?:the )?(?:deletion|erasure) of\b",
            r"\b(?:deletion|delete|erasure) requests?\b",
            r"\brequests? to (?:delete|erase)\b",
        ),
        weak=GENERIC_RIGHTS + (r"\b(?:delete|deletes|deleted|deleting|deletion|erase|erasure)\b",),
    ),
    "right_to_correct": TopicPatterns(
        title="Right to correct",
        strong=(
            r"\bright to (?:request )?(?:the )?(?:correct|correction|rectify|rectification)\b",
            r"\brequest (?:that we |us to )?correct\b",
            r"\bcorrect (?:any )?inaccurate (?:personal )?(?:information|data)\b",
            r"\b(?:correction|rectification) requests?\b",
            r"\brequests? to correct\b",
        ),
        weak=GENERIC_RIGHTS
        + (
            r"\binaccura(?:te|cy|cies)\b",
            r"\b(?:update|correct|change|edit) (?:your|the) "
            r"(?:account|profile|personal information|information|data)\b",
        ),
    ),
    "right_to_opt_out": TopicPatterns(
        title="Right to opt out of sale or sharing",
        strong=(
            r"\bdo not sell (?:or share |and share |/ ?share )?my (?:personal )?(?:information|info|data)\b",
            near(OPT_OUT, SALE_OR_SHARING, gap=80),
        ),
        weak=(
            OPT_OUT,
            r"\bwe do not (?:sell|share)\b",
            r"\byour (?:california )?privacy choices\b",
        ),
    ),
    "right_to_limit": TopicPatterns(
        title="Right to limit use of sensitive personal information",
        strong=(
            r"\blimit the use (?:and disclosure )?of (?:my|your) sensitive personal information\b",
            r"\bright to limit\b",
            near(r"\blimit(?:s|ing|ed)?\b", SENSITIVE_PI, gap=80),
            # Saying SPI is used only for permitted purposes also answers the topic (§7027(m)).
            near(
                SENSITIVE_PI,
                r"\b(?:only|solely) (?:to|for|use|uses|process|processes|disclose)\b|\bpurposes other than\b"
                r"|\binferring characteristics\b|\b7027\b",
                gap=120,
            ),
        ),
        weak=(SENSITIVE_PI,),
    ),
    "non_discrimination": TopicPatterns(
        title="Right to non-discrimination",
        strong=(
            r"\bnot (?:\w+ ){0,2}(?:discriminate|discriminated|retaliate|retaliated)\b",
            r"\bwon't (?:\w+ )?(?:discriminate|retaliate)\b",
            r"\bnon-? ?discrimination\b",
            r"\bfree from (?:discrimination|retaliation)\b",
            r"\bdeny(?:ing)? you (?:goods|services)\b",
            r"\bcharg(?:e|ing) you (?:a )?different prices?\b",
        ),
        weak=(r"\bdiscriminat\w*", r"\bretaliat\w*"),
    ),
    "opt_out_preference_signals": TopicPatterns(
        title="Opt-out preference signals (Global Privacy Control)",
        strong=(
            r"\bglobal privacy control\b",
            r"\bgpc\b",
            r"\bopt-? ?out preference signals?\b",
            r"\buniversal opt-? ?out (?:mechanisms?|signals?)\b",
            r"\buser-enabled (?:global )?privacy controls?\b",
            r"\bpreference signals?\b",
        ),
        weak=(
            r"\bdo not track\b",
            r"\bdnt\b",
            r"\bprivacy controls? (?:on|in) your browser\b",
            r"\bbrowser[- ](?:based )?(?:privacy )?(?:signals?|controls?|plug-?ins?|extensions?)\b",
        ),
    ),
    "categories_of_pi": TopicPatterns(
        title="Categories of personal information collected",
        strong=(
            near(r"\bcategories of (?:personal )?(?:information|data)\b", r"\bcollect(?:s|ed|ing)?\b", 120),
            r"\bcollect(?:ed)? the following (?:categories|types) of\b",
            r"\binternet or other (?:similar |electronic )*network activity\b",
            r"\binferences drawn from\b",
            r"\bprofessional or employment-related information\b",
        ),
        weak=(
            r"\b(?:information|data) (?:that )?we collect\b",
            r"\bwe (?:may )?(?:automatically )?collect\b",
            rf"\btypes of {PERSONAL_INFO}\b",
            r"\bcategories of (?:personal )?(?:information|data)\b",
        ),
    ),
    "contact_methods": TopicPatterns(
        title="Methods for submitting requests",
        strong=(
            r"\btoll-? ?free\b",
            r"(?<!\d)(?:\+?1[-. ]?)?\(?8(?:00|33|44|55|66|77|88)\)?[-. ]?\d{3}[-. ]\d{4}(?!\d)",
            r"\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
            r"\b(?:web|online|interactive)(?: request)? form\b|\b(?:privacy |data |consumer )?request form\b",
            r"\bwebform\b",
            r"\bsubmit (?:a|an|your|such a|the) (?:verifiable )?(?:consumer )?(?:privacy )?(?:rights )?"
            r"requests?\b",
            r"\b(?:privacy|request|rights) portal\b",
        ),
        weak=(
            r"\bcontact us\b",
            r"\bcall us\b",
            r"\bwrite to us\b",
            r"\bmail(?:ing)? address\b",
            r"(?<!\d)\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?!\d)",
        ),
    ),
}
