"""A starting framework from the UK government's Social Value Model (Procurement Policy Note 002). No Django.

The Model is public sector information published under the Open Government Licence v3.0, which
allows its reuse with the attribution below (stored on the council's framework and shown on its
page). Its themes (the Model calls them missions) and policy outcomes are written out here in short;
the measures are a few example reporting metrics per outcome, in our own words, for the council to
edit. No proxy values: the licensed proxy sets (such as the National TOMs) may not be reused, and
the Model itself gives none, so a council adds its own with their source and year.

Check the wording against the published Model before relying on it in a procurement.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["ATTRIBUTION", "SOURCE", "SOCIAL_VALUE_MODEL", "SeedMeasure", "SeedOutcome", "SeedTheme"]

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
SOURCE = "Procurement Policy Note 002, the Social Value Model (Cabinet Office, February 2025)"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
FRAMEWORK_NAME = "Social value framework (from the Social Value Model)"


class SeedMeasure(NamedTuple):
    code: str
    name: str
    unit: str
    description: str
    evidence: str


class SeedOutcome(NamedTuple):
    title: str
    measures: tuple[SeedMeasure, ...]


class SeedTheme(NamedTuple):
    title: str
    outcomes: tuple[SeedOutcome, ...]


SOCIAL_VALUE_MODEL: tuple[SeedTheme, ...] = (
    SeedTheme(
        "Kickstart economic growth",
        (
            SeedOutcome(
                "Create new businesses, new jobs and new skills",
                (
                    SeedMeasure(
                        "SVM-1.1",
                        "New jobs created through the contract",
                        "full-time equivalent jobs",
                        "Jobs created to deliver the contract that did not exist before it.",
                        "Payroll records or contracts of employment for the roles.",
                    ),
                    SeedMeasure(
                        "SVM-1.2",
                        "Apprenticeships started on the contract",
                        "apprenticeships",
                        "Apprenticeship starts in the workforce delivering the contract.",
                        "Apprenticeship agreements and the training provider's confirmation.",
                    ),
                    SeedMeasure(
                        "SVM-1.3",
                        "Training delivered to the contract workforce",
                        "hours",
                        "Hours of accredited or structured training for people delivering the contract.",
                        "Training records with dates, attendees and hours.",
                    ),
                ),
            ),
            SeedOutcome(
                "Increase supply chain resilience and capacity",
                (
                    SeedMeasure(
                        "SVM-1.4",
                        "Contract spend with SMEs and VCSEs in the supply chain",
                        "pounds spent",
                        "Money paid to small and medium-sized enterprises and voluntary, community and social "
                        "enterprise organisations for work on the contract.",
                        "Supplier invoices or a supply chain spend report.",
                    ),
                    SeedMeasure(
                        "SVM-1.5",
                        "SMEs and VCSEs in the supply chain",
                        "organisations",
                        "Small businesses and VCSE organisations subcontracted on the contract.",
                        "List of subcontracts with each organisation's size or legal form.",
                    ),
                ),
            ),
        ),
    ),
    SeedTheme(
        "Make Britain a clean energy superpower",
        (
            SeedOutcome(
                "Effective stewardship of the environment",
                (
                    SeedMeasure(
                        "SVM-2.1",
                        "Greenhouse gas emissions reduced in delivering the contract",
                        "tonnes CO2e",
                        "Reduction against the supplier's baseline for the contract's activities.",
                        "Carbon reduction plan and emissions reporting against the baseline.",
                    ),
                    SeedMeasure(
                        "SVM-2.2",
                        "Waste diverted from landfill",
                        "tonnes",
                        "Waste from the contract reused, recycled or recovered instead of sent to landfill.",
                        "Waste transfer notes.",
                    ),
                ),
            ),
        ),
    ),
    SeedTheme(
        "Break down barriers to opportunity",
        (
            SeedOutcome(
                "Reduce the disability employment gap",
                (
                    SeedMeasure(
                        "SVM-3.1",
                        "Disabled people employed on the contract",
                        "people",
                        "People who are disabled under the Equality Act 2010 employed to deliver the contract.",
                        "Anonymised workforce monitoring data.",
                    ),
                ),
            ),
            SeedOutcome(
                "Tackle workforce inequality",
                (
                    SeedMeasure(
                        "SVM-3.2",
                        "People facing barriers to work employed on the contract",
                        "people",
                        "For example care leavers, people leaving prison, or people long out of work.",
                        "Anonymised workforce monitoring data with the referral route.",
                    ),
                    SeedMeasure(
                        "SVM-3.3",
                        "Contract staff paid at least the real Living Wage",
                        "people",
                        "Staff delivering the contract paid at least the real Living Wage.",
                        "Payroll summary showing hourly rates.",
                    ),
                ),
            ),
        ),
    ),
    SeedTheme(
        "Build an NHS fit for the future",
        (
            SeedOutcome(
                "Improve health and wellbeing",
                (
                    SeedMeasure(
                        "SVM-4.1",
                        "Contract staff offered health and wellbeing support",
                        "people",
                        "Staff offered support such as mental health first aid or occupational health.",
                        "Description of the support and the number of staff offered it.",
                    ),
                ),
            ),
        ),
    ),
    SeedTheme(
        "Safer streets",
        (
            SeedOutcome(
                "Improve community cohesion",
                (
                    SeedMeasure(
                        "SVM-5.1",
                        "Volunteering time in the local community",
                        "hours",
                        "Hours staff volunteer with local community groups, in work time.",
                        "Volunteering log confirmed by the groups supported.",
                    ),
                    SeedMeasure(
                        "SVM-5.2",
                        "Local community groups supported",
                        "organisations",
                        "Voluntary and community groups given practical support, such as advice or space.",
                        "List of groups and what each was given, confirmed by them.",
                    ),
                ),
            ),
        ),
    ),
)
