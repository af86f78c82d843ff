"""Knowsley's scenario, as plain data: its local spend policy, its evaluation model, its clause library
and its first tender's specification.

Written once, read by the demo seeders (``tenders.demo``) and by the test worlds
(``tests/factories``), so the demo and the tests tell the same story of the same council. Illustrative
(after the Centre for Local Economic Strategies case study), not the council's published policy.
"""

from __future__ import annotations

from decimal import Decimal

from tenders.eligibility import SME, VCSE, Band

# The demo people the seeders act as (commissioning.demo makes them).
COMMISSIONER = "commissioner@knowsley.example.org"
OFFICER = "officer@knowsley.example.org"
EVALUATOR = "evaluator@knowsley.example.org"
# The decided commission every Knowsley demo tender belongs to (commissioning.demo makes it).
COMMISSION = "Community navigation service"

# Knowsley's local spend policy: low value (under £5,000) and intermediate value (up to £181,000)
# spend goes to local providers; VCSEs and SMEs are welcome in the intermediate band.
SPEND_BANDS = (
    Band(lower=Decimal(0), upper=Decimal(5000), reserved_for_local=True, label="Low value"),
    Band(
        lower=Decimal(5000),
        upper=Decimal(181000),
        reserved_for_local=True,
        welcome=frozenset({VCSE, SME}),
        label="Intermediate value",
    ),
    Band(lower=Decimal(181000), label="Higher value"),
)

# Knowsley's evaluation model for a community service: quality carries half the score in two
# questions (a minimum score of 2 in each), price 30% (scored 0 to 100), social value 20%.
QUALITY_WEIGHT = Decimal(50)
QUESTION_WEIGHTS = (Decimal(30), Decimal(20))
MINIMUM_QUALITY_SCORE = Decimal(2)
PRICE_WEIGHT = Decimal(30)
PRICE_SCALE = "0-100"
SOCIAL_VALUE_WEIGHT = Decimal(20)

# The first tender, under the decided commission: £180,000, so in the intermediate band
# (reserved for local organisations; VCSEs and SMEs welcome).
NAVIGATION_TITLE = "Community navigation service"
NAVIGATION_DESCRIPTION = (
    "Trusted navigators in places residents already go, helping them reach advice, health, money "
    "and social groups in their community. A three-year contract."
)
NAVIGATION_VALUE = Decimal(180_000)
NAVIGATION_LOT = ("Navigation across Knowsley", "Navigators in Huyton, Kirkby, Prescot and Halewood.")
NAVIGATION_QUESTIONS = (
    "How you will reach residents who do not ask for help",
    "Your navigators: recruitment, training and supervision",
)
NAVIGATION_SOCIAL_VALUE = "Local jobs, volunteering and spend with Knowsley organisations."
NAVIGATION_RATIONALE = (
    "Quality carries half the score because residents told us trust and local knowledge matter most. "
    "Price keeps the service affordable over three years. Social value is weighted above the council's "
    "10% minimum because the service should build local capacity: local jobs, volunteering and spend."
)

# The clause library: the community-rooted clauses of the community navigation specification and a
# few more in the same spirit. (title, category, body)
CLAUSES = (
    (
        "Located within the community",
        "Community",
        "<p>The service is located within the community and fosters community connections and relations "
        "for the benefit of the community's residents.</p>",
    ),
    (
        "Navigators valued in the community",
        "Community",
        "<p>Navigators are a recognised and valued resource in the community.</p>",
    ),
    (
        "Recruited locally",
        "Social value",
        "<p>Staff and volunteers are recruited locally where possible.</p>",
    ),
    (
        "Reviewed by residents",
        "Co-design",
        "<p>Residents who use the service help review it each year.</p>",
    ),
)
# The first tender's specification: (section title, body, titles of the clauses it takes in).
NAVIGATION_SPECIFICATION = (
    (
        "Background",
        "<p>Knowsley Council wants residents to reach the advice, health, money and social support that already "
        "exists in their community, through trusted navigators in places they already go.</p>",
        (),
    ),
    (
        "The service",
        "<p>Navigators meet residents where they are, listen, and help them reach the right support.</p>",
        ("Located within the community", "Navigators valued in the community"),
    ),
    (
        "Outcomes",
        "<ul><li>Residents know where to go for help and get there.</li>"
        "<li>Fewer residents reach crisis before they get support.</li></ul>",
        ("Reviewed by residents",),
    ),
    (
        "Social value",
        "<p>The provider builds local capacity: local jobs, volunteering and spend with Knowsley organisations.</p>",
        ("Recruited locally",),
    ),
)
