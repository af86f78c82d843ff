"""The demo: Knowsley's framework was opened to a local voluntary group, which commented on two
measures; both comments are answered and the round is closed. Seeding twice adds nothing."""

from __future__ import annotations

from commissioning.models import LegalForm
from commissioning.tenancy import council_scope
from social_value.models import FrameworkComment, FrameworkCommentRound


def test_knowsleys_framework_has_a_closed_round_of_answered_comments_from_a_voluntary_group(db: None) -> None:
    from commissioning.demo import seed
    from commissioning.models import Council

    seed()
    seed()
    knowsley = Council.objects.get(slug="knowsley")
    with council_scope(knowsley):
        (comment_round,) = FrameworkCommentRound.objects.filter(council=knowsley)
        assert not comment_round.is_open()
        assert "the local voluntary sector has been involved in shaping the indicators" in comment_round.closed_reason
        (invitation,) = comment_round.invitations.select_related("organisation")
        assert invitation.organisation.name == "Kirkby Community Garden"
        assert invitation.organisation.legal_form == LegalForm.COMMUNITY_GROUP
        comments = list(FrameworkComment.objects.filter(round=comment_round).order_by("pk"))
        assert len(comments) == 2 and all(c.resolved and c.reply for c in comments)
        assert {c.organisation for c in comments} == {invitation.organisation}
        assert all(c.section_key.startswith("measure:") for c in comments)
        assert len({c.section_key for c in comments}) == 2
    southwark = Council.objects.get(slug="southwark")
    with council_scope(southwark):
        assert not FrameworkCommentRound.objects.filter(council=southwark).exists()
