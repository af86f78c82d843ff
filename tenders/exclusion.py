"""The exclusion grounds of the Procurement Act 2023 and what a bidder must say when one applies. No Django here.

Section 57 of the Act: a supplier is *excluded* if a mandatory exclusion ground (Schedule 6)
applies and the circumstances are likely to occur again, and *excludable* if a discretionary one
(Schedule 7) does. Section 58: in deciding whether the circumstances are likely to occur again the
council considers the evidence that they will not ("self-cleaning"): for example that the supplier
has taken responsibility, paid compensation, changed its staff or management, or put in place
training, monitoring or other measures. So a bidder who answers "yes" says which grounds apply,
what happened, and what it has done since; the council reads all of it when the bids are opened.

The names are the Schedules' headings, as the government's Central Digital Platform words them.
"""

from __future__ import annotations

from dataclasses import dataclass

MANDATORY = "mandatory"
DISCRETIONARY = "discretionary"


@dataclass(frozen=True)
class Ground:
    key: str
    name: str
    kind: str  # MANDATORY (Schedule 6) or DISCRETIONARY (Schedule 7)


GROUNDS: tuple[Ground, ...] = (
    # Schedule 6, Part 1: convictions.
    Ground("corporate_manslaughter", "Corporate manslaughter or corporate homicide", MANDATORY),
    Ground("terrorism", "Terrorism and offences having a terrorist connection", MANDATORY),
    Ground("theft_fraud_bribery", "Theft, fraud and bribery", MANDATORY),
    Ground("labour_market_offences", "Labour market, slavery and human trafficking offences", MANDATORY),
    Ground("organised_crime", "Organised crime", MANDATORY),
    Ground("tax_offences", "Tax offences", MANDATORY),
    Ground("cartel_offences", "Cartel offences", MANDATORY),
    Ground("ancillary_offences", "Ancillary offences: aiding, abetting, encouraging or assisting crime", MANDATORY),
    # Schedule 6, Part 2: penalties and other events.
    Ground("abusive_tax_arrangements", "Adjustments for tax arrangements that are abusive", MANDATORY),
    Ground("notifiable_tax_arrangements", "Defeat in respect of notifiable tax arrangements", MANDATORY),
    Ground("vat_abusive_practice", "A finding by HMRC of abusive practice in respect of VAT", MANDATORY),
    Ground(
        "vat_fraud_penalties",
        "Penalties for transactions connected with VAT fraud and evasion of tax or duty",
        MANDATORY,
    ),
    Ground("tax_document_penalties", "Penalties for errors in tax documents and failure to notify", MANDATORY),
    Ground("competition_infringements", "Competition law infringements", MANDATORY),
    Ground("failure_to_cooperate", "Failure to cooperate with a debarment investigation", MANDATORY),
    # Schedule 7.
    Ground("labour_market_misconduct", "Labour market misconduct", DISCRETIONARY),
    Ground("environmental_misconduct", "Environmental misconduct", DISCRETIONARY),
    Ground(
        "competition_act_chapter_2", "Infringement of the Competition Act 1998, Chapter II prohibition", DISCRETIONARY
    ),
    Ground("potential_competition", "Potential competition and competition law infringements", DISCRETIONARY),
    Ground("insolvency", "Insolvency or bankruptcy", DISCRETIONARY),
    Ground(
        "ceasing_business", "Suspension or ceasing to carry on all or a substantial part of a business", DISCRETIONARY
    ),
    Ground("professional_misconduct", "Professional misconduct", DISCRETIONARY),
    Ground("breach_of_contract", "Breach of contract and poor performance", DISCRETIONARY),
    Ground("acting_improperly", "Acting improperly in procurement", DISCRETIONARY),
)

BY_KEY = {ground.key: ground for ground in GROUNDS}
SCHEDULE = {
    MANDATORY: "Schedule 6: mandatory exclusion grounds",
    DISCRETIONARY: "Schedule 7: discretionary exclusion grounds",
}


def choices(kind: str) -> list[tuple[str, str]]:
    return [(g.key, g.name) for g in GROUNDS if g.kind == kind]


def names(keys: list[str] | tuple[str, ...]) -> list[str]:
    """The names of the grounds with these keys, in the Schedules' order (unknown keys are left out)."""
    wanted = set(keys)
    return [g.name for g in GROUNDS if g.key in wanted]


@dataclass(frozen=True)
class DeclarationProblem:
    field: str
    message: str


def exclusion_problems(declarations: dict[str, object]) -> list[DeclarationProblem]:
    """What is missing from an exclusion declaration: the answer, and for "yes" the grounds and details.

    Self-cleaning evidence is asked for but not required: a bidder may have none yet, and the
    council decides (s. 58) on what it is given.
    """
    applies = declarations.get("exclusion_grounds")
    if applies is None:
        return [DeclarationProblem("exclusion_grounds", "Say whether any exclusion grounds apply to you")]
    if not applies:
        return []
    problems = []
    grounds = declarations.get("exclusion_ground_keys") or []
    if not isinstance(grounds, (list, tuple)) or not [k for k in grounds if k in BY_KEY]:
        problems.append(DeclarationProblem("exclusion_ground_keys", "Choose the exclusion grounds that apply"))
    if not str(declarations.get("exclusion_details") or "").strip():
        problems.append(
            DeclarationProblem(
                "exclusion_details", "Describe what happened, when, and who it involved, for each ground that applies"
            )
        )
    return problems
