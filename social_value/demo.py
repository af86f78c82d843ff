"""The social value app's part of ``manage.py seed_demo``: Knowsley's framework from the Social Value
Model, a closed round of comments on it from a local voluntary group, both answered (the seed:
"the local voluntary sector has been involved in shaping the indicators"), and a year of delivery
returns on its awarded community navigation contract."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Council, Membership, Organisation, OrganisationMember, Role, User
from commissioning.tenancy import council_scope
from social_value import kept
from social_value.framework import framework_seed_social_value_model
from social_value.framework_comments import (
    framework_comment_add,
    framework_comment_resolve,
    framework_comment_round_close,
    framework_comment_round_open,
)
from social_value.models import (
    Agreement,
    DeliveryReturn,
    FrameworkCommentRound,
    Measure,
    ReturnEvent,
    ReturnEventKind,
    ReturnFigure,
    ReturnStatus,
    SocialValueFramework,
    SocialValueKPI,
)
from social_value.returns import agreement_periods

__all__ = [
    "DEMO_FRAMEWORK_COUNCILS",
    "DEMO_VOLUNTARY_GROUP",
    "seed_agreement_returns",
    "seed_framework_comments",
    "seed_frameworks",
]

DEMO_FRAMEWORK_COUNCILS = ("knowsley",)
DEMO_VOLUNTARY_GROUP = ("Kirkby Community Garden", "growers@kirkby-garden.example.org")
DEMO_COMMENTS = (
    (
        "Volunteering hours do not show what our growers gain. Could the measure also count people who "
        "volunteer regularly, not only the hours?",
        "Thank you. We have added a note to count regular volunteers beside the hours, and will ask for "
        "both in delivery returns.",
    ),
    (
        "Small groups like ours cannot produce audited evidence. Please accept sign-in sheets and photos "
        "as evidence for this measure.",
        "Agreed. Sign-in sheets and dated photos are now listed as evidence for this measure.",
    ),
)
CLOSED_REASON = "Comments gathered: the local voluntary sector has been involved in shaping the indicators"


def seed_frameworks(councils: Mapping[str, Council]) -> None:
    for slug in DEMO_FRAMEWORK_COUNCILS:
        council = councils.get(slug)
        if council is None:
            continue
        with council_scope(council):
            admin = User.objects.filter(email=f"admin@{slug}.example.org").first()
            framework_seed_social_value_model(council=council, actor=admin)
    # The framework's comment round follows it (one seeder: no order of its own to keep apart).
    seed_framework_comments(councils)


def seed_framework_comments(councils: Mapping[str, Council]) -> None:
    """Knowsley's framework was opened for comment to a local voluntary group, which commented on two
    measures; the admin answered both and closed the round. Idempotent: once a round exists, nothing."""
    name, email = DEMO_VOLUNTARY_GROUP
    group = Organisation.objects.filter(name=name).first()
    grower = User.objects.filter(email=email).first()
    for slug in DEMO_FRAMEWORK_COUNCILS:
        council = councils.get(slug)
        if council is None or group is None or grower is None:
            continue
        with council_scope(council):
            admin = User.objects.filter(email=f"admin@{slug}.example.org").first()
            framework = SocialValueFramework.objects.filter(council=council).first()
            if admin is None or framework is None:
                continue
            if FrameworkCommentRound.objects.filter(council=council, framework=framework).exists():
                continue
            measures = list(
                Measure.objects.filter(council=council, retired_at__isnull=True).order_by("position", "code")[:2]
            )
            comment_round = framework_comment_round_open(
                council=council,
                actor=admin,
                open_to_citizens=False,
                organisations=[group],
                message="Do these measures count what local voluntary and community groups do? Tell us what to change.",
            )
            for measure, (body, reply) in zip(measures, DEMO_COMMENTS, strict=False):
                comment = framework_comment_add(
                    round=comment_round,
                    section_key=f"measure:{measure.pk}",
                    author=grower,
                    organisation=group,
                    body=body,
                )
                framework_comment_resolve(comment=comment, actor=admin, reply=reply)
            framework_comment_round_close(round=comment_round, actor=admin, reason=CLOSED_REASON)


# --- A year of delivery returns on Knowsley's awarded contract ----------------------------------------

# Four quarters as the provider reported them and the officer verified them: the stories and
# quantities of each, per KPI in the order Innovate committed to them (navigators recruited,
# volunteers trained, volunteering hours, £ spent locally); a KPI beyond the list reports 0.
DEMO_RETURNS = (
    (
        "We opened drop-in navigation sessions at the Huyton and Kirkby libraries. Volunteers met 64 "
        "residents, mostly older people living alone, and helped them to reach benefits advice, GP "
        "registration and a lunch club.",
        ("2", "8", "320", "4200"),
    ),
    (
        "A resident who first came to us for help joined our staff as a navigator. The "
        "Stockbridge Village session moved to the community centre, where more families could reach it.",
        ("1", "10", "410", "6100"),
    ),
    (
        "Summer sessions ran in three parks with the council's play rangers. We trained eight new "
        "volunteers from Halewood, and referrals from the GP surgeries doubled.",
        ("2", "12", "520", "7400"),
    ),
    (
        "Winter warm spaces at four venues. Navigators helped 112 households with energy bills and food support.",
        ("1", "9", "480", "6900"),
    ),
)
DEMO_QUERY = "You report 480 volunteering hours: how many volunteers gave them, and where is the timesheet summary?"
DEMO_ANSWER = "Twenty-six volunteers gave the hours; the summary by venue is attached to the narrative now."


def seed_agreement_returns(*, agreement: Agreement) -> None:
    """Knowsley's awarded community navigation contract: a year of quarterly returns, three
    accepted and the fourth queried, answered and waiting for the officer. Written as recorded
    history (like the tenders demo, no audit events); idempotent. Called by the tenders demo with
    the agreement it recorded (this app imports no tenders code)."""
    council = agreement.council
    with council_scope(council):
        if DeliveryReturn.objects.filter(council=council, agreement=agreement).exists():
            return
        member = OrganisationMember.objects.filter(organisation=agreement.provider).select_related("user").first()
        officer = (
            Membership.objects.filter(council=council, role=Role.OFFICER).select_related("user").order_by("pk").first()
        )
        if member is None or officer is None:
            return
        kpis = list(SocialValueKPI.objects.filter(council=council, agreement=agreement).order_by("position", "pk"))
        for period, (narrative, quantities) in zip(agreement_periods(agreement), DEMO_RETURNS, strict=False):
            submitted = datetime.combine(
                period.ends_on + timedelta(days=12), time(10, 0), tzinfo=timezone.get_current_timezone()
            )
            last = period.number == len(DEMO_RETURNS)
            figures = {
                str(kpi.pk): str(Decimal(quantities[i]) if i < len(quantities) else Decimal(0))
                for i, kpi in enumerate(kpis)
            }
            delivery_return = DeliveryReturn.objects.create(
                council=council,
                agreement=agreement,
                period=period.number,
                period_starts_on=period.starts_on,
                period_ends_on=period.ends_on,
                due_on=period.due_on,
                status=ReturnStatus.SUBMITTED if last else ReturnStatus.ACCEPTED,
                narrative=narrative,
                revision=2 if last else 1,
                submitted_at=submitted + timedelta(days=6) if last else submitted,
                submitted_by=member.user,
                decided_at=None if last else submitted + timedelta(days=5),
                decided_by=None if last else officer.user,
                created_by=member.user,
            )
            ReturnFigure.objects.bulk_create(
                [
                    ReturnFigure(council=council, delivery_return=delivery_return, kpi_id=int(k), quantity=Decimal(q))
                    for k, q in figures.items()
                ]
            )
            kept.renew_on_commit(council.pk)  # bulk_create sends no post_save
            steps = [(ReturnEventKind.SUBMITTED, member.user, submitted, "")]
            if last:
                steps += [
                    (ReturnEventKind.QUERIED, officer.user, submitted + timedelta(days=3), DEMO_QUERY),
                    (ReturnEventKind.ANSWERED, member.user, submitted + timedelta(days=6), DEMO_ANSWER),
                ]
            else:
                steps.append((ReturnEventKind.ACCEPTED, officer.user, submitted + timedelta(days=5), ""))
            ReturnEvent.objects.bulk_create(
                [
                    ReturnEvent(
                        council=council,
                        delivery_return=delivery_return,
                        kind=kind,
                        actor=actor,
                        at=at,
                        text=text,
                        narrative=narrative if kind in (ReturnEventKind.SUBMITTED, ReturnEventKind.ANSWERED) else "",
                        figures=figures if kind in (ReturnEventKind.SUBMITTED, ReturnEventKind.ANSWERED) else {},
                    )
                    for kind, actor, at, text in steps
                ]
            )
