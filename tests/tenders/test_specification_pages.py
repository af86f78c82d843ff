"""The tender specification: services (stale saves, double submits, versions, clauses, the lock), the
editor with htmx autosave and without JavaScript, the comparison page, the clause library, and
permissions by role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import Clause, SpecificationSection, SpecificationVersion, Tender
from tests.factories import CouncilWorld

pytestmark = pytest.mark.world("draft_tender")


def _tender(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")


def _section(world: CouncilWorld) -> SpecificationSection:
    with council_scope(world.council):
        return SpecificationSection.objects.select_related("tender").get(
            council=world.council, tender__title=f"{world.council.slug}-private-tender"
        )


def _clause(world: CouncilWorld) -> Clause:
    with council_scope(world.council):
        return Clause.objects.get(council=world.council)


def _url(world: CouncilWorld, tender: Tender, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/tenders/{tender.pk}/specification/{suffix}"


# --- Services ----------------------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_nothing_is_overwritten(knowsley: CouncilWorld) -> None:
    section = _section(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        saved = services.section_save(
            section=section, actor=commissioner, title="Background", body="<p>Mine first</p>", expected_revision=1
        )
        assert saved.revision == 2
        with pytest.raises(ValidationError) as error:
            services.section_save(
                section=section, actor=commissioner, title="Background", body="<p>Theirs</p>", expected_revision=1
            )
        message = error.value.message_dict["body"][0]
        assert message.startswith("This section changed since you opened it")
        assert "your text is kept below" in message
        section.refresh_from_db()
        assert section.body == "<p>Mine first</p>" and section.revision == 2


def test_a_double_submit_is_a_no_op(knowsley: CouncilWorld) -> None:
    section = _section(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        for _ in range(2):
            section = services.section_save(
                section=section, actor=commissioner, title=" Background ", body="<p>Same</p>", expected_revision=1
            )
        assert section.revision == 2
        assert AuditEvent.objects.filter(action="specification.section_saved").count() == 1


def test_saving_sanitises_and_is_audited(knowsley: CouncilWorld) -> None:
    section = _section(knowsley)
    with council_scope(knowsley.council):
        section = services.section_save(
            section=section,
            actor=knowsley.people[Role.COMMISSIONER],
            title="The service",
            body='<p onclick="x()">Safe<script>alert(1)</script> <a href="javascript:alert(1)">link</a></p>',
            expected_revision=1,
        )
        assert section.body == '<p>Safe <a rel="noopener noreferrer nofollow">link</a></p>'
        event = AuditEvent.objects.get(action="specification.section_saved")
        assert event.after["title"] == "The service" and event.after["revision"] == 2
        assert event.before["title"] == "knowsley-private-section"


def test_sections_are_added_moved_removed_and_clauses_inserted(knowsley: CouncilWorld) -> None:
    tender, first, clause = _tender(knowsley), _section(knowsley), _clause(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        second = services.section_add(tender=tender, actor=commissioner, title="Outcomes")
        assert second.position == 2
        services.section_move(section=second, actor=commissioner, direction="up")
        assert [s.title for s in SpecificationSection.objects.filter(tender=tender)] == [
            "Outcomes",
            "knowsley-private-section",
        ]
        first = services.clause_insert(section=first, clause=clause, actor=commissioner)
        assert first.body.endswith(clause.body) and first.revision == 2
        services.section_remove(section=second, actor=commissioner)
        assert SpecificationSection.objects.filter(tender=tender).count() == 1
        actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
        # Removing keeps the text: the specification as it was is saved as a version first
        assert actions == [
            "specification.section_added",
            "specification.section_moved",
            "specification.clause_inserted",
            "specification.version_saved",
            "specification.section_removed",
        ]


def test_a_removed_section_is_kept_in_a_version_and_restored_from_it(knowsley: CouncilWorld) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        section = services.section_save(
            section=section,
            actor=commissioner,
            title="Outcomes",
            body="<p>Unsaved in any version</p>",
            expected_revision=1,
        )
        versions_before = SpecificationVersion.objects.filter(tender=tender).count()
        # Given text that no version holds yet, removing it saves a version with it first
        kept = services.section_remove(section=section, actor=commissioner)
        assert SpecificationVersion.objects.filter(tender=tender).count() == versions_before + 1
        assert kept.sections == [{"title": "Outcomes", "body": "<p>Unsaved in any version</p>"}]
        assert kept.note == "Before removing the section “Outcomes”"
        assert not SpecificationSection.objects.filter(tender=tender).exists()
        # Removing a section the latest version already holds saves no second copy
        again = services.section_add(tender=tender, actor=commissioner, title="Again")
        services.specification_save_version(tender=tender, actor=commissioner)
        count = SpecificationVersion.objects.filter(tender=tender).count()
        services.section_remove(section=again, actor=commissioner)
        assert SpecificationVersion.objects.filter(tender=tender).count() == count
        # "Restore this section" brings it back at the end, audited with the version it came from
        restored = services.section_restore(version=kept, index=0, actor=commissioner)
        assert (restored.title, restored.body) == ("Outcomes", "<p>Unsaved in any version</p>")
        event = AuditEvent.objects.order_by("-sequence").first()
        assert event.action == "specification.section_restored" and event.after["from_version"] == kept.number
        with pytest.raises(ValidationError, match="not in this version"):
            services.section_restore(version=kept, index=5, actor=commissioner)
        # Once published, nothing is restored
        Tender.objects.filter(pk=tender.pk).update(published_at=datetime(2026, 11, 2, tzinfo=UTC))
        with pytest.raises(ValidationError, match="locked because the tender is published"):
            services.section_restore(version=kept, index=0, actor=commissioner)


def test_versions_are_numbered_and_audited(knowsley: CouncilWorld) -> None:
    tender = _tender(knowsley)
    with council_scope(knowsley.council):
        second = services.specification_save_version(
            tender=tender, actor=knowsley.people[Role.COMMISSIONER], note="  Agreed  with residents "
        )
        third = services.specification_save_version(tender=tender, actor=knowsley.people[Role.COMMISSIONER])
        assert (second.number, third.number) == (2, 3)
        assert second.note == "Agreed with residents"
        assert second.sections == [
            {"title": "knowsley-private-section", "body": "<p>knowsley-private-section-text about the service.</p>"}
        ]
        event = AuditEvent.objects.filter(action="specification.version_saved").first()
        assert event is not None and event.after["number"] == 2


def test_a_published_specification_is_locked(knowsley: CouncilWorld) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=tender.pk).update(published_at=datetime(2026, 11, 2, tzinfo=UTC))
        for attempt in (
            lambda: services.section_save(
                section=section, actor=commissioner, title="x", body="y", expected_revision=1
            ),
            lambda: services.section_add(tender=tender, actor=commissioner, title="New"),
            lambda: services.specification_save_version(tender=tender, actor=commissioner),
        ):
            with pytest.raises(ValidationError, match="locked because the tender is published"):
                attempt()


@pytest.mark.world("people")
def test_clauses_are_created_sanitised_and_updated(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as error:
            services.clause_create(council=knowsley.council, actor=commissioner, title=" ", body="<script></script>")
        assert set(error.value.message_dict) == {"title", "body"}
        clause = services.clause_create(
            council=knowsley.council, actor=commissioner, title="Local", body="<p onclick='x'>Local staff</p>"
        )
        assert clause.body == "<p>Local staff</p>"
        services.clause_update(clause=clause, actor=commissioner, active=False)
        assert list(AuditEvent.objects.values_list("action", flat=True).order_by("sequence")) == [
            "clause.created",
            "clause.updated",
        ]


# --- Pages -------------------------------------------------------------------------------------------


def _post(section: SpecificationSection, **changes: str) -> dict[str, str]:
    prefix = f"section-{section.pk}"
    data = {
        f"{prefix}-revision": str(section.revision),
        f"{prefix}-title": section.title,
        f"{prefix}-body": section.body,
    }
    data.update({f"{prefix}-{k}": v for k, v in changes.items() if k in {"revision", "title", "body", "clause"}})
    data.update({k: v for k, v in changes.items() if k not in {"revision", "title", "body", "clause"}})
    return data


@pytest.mark.parametrize(
    ("role", "view", "change", "clauses"),
    [
        (Role.ADMIN, 200, 403, 200),
        (Role.COMMISSIONER, 200, 302, 200),
        (Role.EVALUATOR, 200, 403, 403),
        (Role.OFFICER, 200, 403, 403),
        (Role.CITIZEN, 403, 403, 403),
    ],
)
def test_specification_pages_by_role(
    client, knowsley: CouncilWorld, role: str, view: int, change: int, clauses: int
) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    client.force_login(knowsley.people[role])
    page = client.get(_url(knowsley, tender))
    assert page.status_code == view
    if view == 200:
        assert ('hx-post="' in page.content.decode()) == (change == 302)
        with council_scope(knowsley.council):
            version = SpecificationVersion.objects.get(tender=tender)
        assert client.get(_url(knowsley, tender, f"versions/{version.pk}/")).status_code == 200
        assert client.get(_url(knowsley, tender, "compare/")).status_code == 200
    response = client.post(_url(knowsley, tender, f"sections/{section.pk}/"), _post(section, body="<p>New</p>"))
    assert response.status_code == change
    assert client.post(_url(knowsley, tender, "versions/new/"), {"note": "x"}).status_code == change
    assert client.get("/c/knowsley/clauses/").status_code == clauses
    assert client.get("/c/knowsley/clauses/new/").status_code == clauses


def test_another_councils_specification_is_not_found(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs, section, clause = _tender(southwark), _section(southwark), _clause(southwark)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    for suffix in ("", "compare/?from=1&to=1", f"sections/{section.pk}/", "versions/new/", "sections/new/"):
        assert client.get(_url(knowsley, theirs, suffix)).status_code in {404, 405}
        response = client.post(_url(knowsley, theirs, suffix), _post(section, body="hijack"))
        assert response.status_code == 404, suffix
    assert client.get(f"/c/knowsley/clauses/{clause.pk}/").status_code == 404
    assert client.get("/c/southwark/clauses/").status_code == 404
    assert client.get(f"/c/southwark/tenders/{theirs.pk}/specification/").status_code == 404
    with council_scope(southwark.council):
        assert SpecificationSection.objects.get(pk=section.pk).body == section.body


def test_htmx_autosave_returns_the_status_fragment(client, knowsley: CouncilWorld) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, tender, f"sections/{section.pk}/")
    response = client.post(url, _post(section, body="<p>Typed</p>"), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert text.strip().startswith("Saved at ")
    assert f'id="id_section-{section.pk}-revision"' in text and 'value="2"' in text and "hx-swap-oob" in text
    # The same text again (a second autosave): still saved, no new revision.
    again = client.post(url, _post(section, body="<p>Typed</p>"), headers={"HX-Request": "true"})
    assert 'value="2"' in again.content.decode()
    # Someone else's text on the old revision: refused in the status line, no new revision.
    stale = client.post(url, _post(section, body="<p>Other</p>"), headers={"HX-Request": "true"}).content.decode()
    assert "This section changed since you opened it" in stale and "hx-swap-oob" not in stale
    with council_scope(knowsley.council):
        assert SpecificationSection.objects.get(pk=section.pk).body == "<p>Typed</p>"


def test_without_javascript_a_save_redirects_and_a_failed_save_keeps_the_text(client, knowsley: CouncilWorld) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, tender, f"sections/{section.pk}/")
    response = client.post(url, _post(section, body="<p>First</p>", save="1"))
    assert response.status_code == 302 and response["Location"].endswith(f"#section-{section.pk}")
    response = client.post(url, _post(section, body="<p>My long paragraph typed offline</p>", save="1"))
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in text
    assert "There is a problem" in text and "This section changed since you opened it" in text
    assert "&lt;p&gt;My long paragraph typed offline&lt;/p&gt;" in text
    response = client.post(url, _post(section, title="", save="1"))
    assert "Enter a title for the section" in response.content.decode()


def test_remove_saves_the_typed_text_asks_first_and_restores_from_the_version(client, knowsley: CouncilWorld) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, tender, f"sections/{section.pk}/")
    # "Remove" beside "Save section" saves the typed text, then asks on its own page
    response = client.post(url, _post(section, body="<p>Typed just now</p>", remove="1"))
    confirm_url = _url(knowsley, tender, f"sections/{section.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == confirm_url
    with council_scope(knowsley.council):
        assert SpecificationSection.objects.get(pk=section.pk).body == "<p>Typed just now</p>"
    page = client.get(confirm_url).content.decode()
    assert "Are you sure you want to remove the section “knowsley-private-section”?" in page
    assert "govuk-button--warning" in page and "No, keep the section" in page
    # Without the confirming button, nothing is removed
    client.post(confirm_url, {})
    with council_scope(knowsley.council):
        assert SpecificationSection.objects.filter(pk=section.pk).exists()
    response = client.post(confirm_url, {"confirm": "1"})
    assert response.status_code == 302
    with council_scope(knowsley.council):
        assert not SpecificationSection.objects.filter(pk=section.pk).exists()
        version = SpecificationVersion.objects.filter(tender=tender).order_by("-number").first()
    editor = client.get(response["Location"]).content.decode()
    assert f"Its text is kept in version {version.number}, where you can restore it." in editor
    # The version offers "Restore this section"; it comes back into the draft
    version_page = client.get(_url(knowsley, tender, f"versions/{version.pk}/")).content.decode()
    assert "Restore this section" in version_page
    response = client.post(_url(knowsley, tender, f"versions/{version.pk}/sections/0/restore/"))
    assert response.status_code == 302
    with council_scope(knowsley.council):
        assert SpecificationSection.objects.get(tender=tender).body == "<p>Typed just now</p>"
    # Restoring needs the right to change the tender
    client.force_login(knowsley.people[Role.EVALUATOR])
    assert "Restore this section" not in client.get(_url(knowsley, tender, f"versions/{version.pk}/")).content.decode()
    assert client.post(_url(knowsley, tender, f"versions/{version.pk}/sections/0/restore/")).status_code == 403


def test_a_clause_is_inserted_after_the_typed_text_is_saved(client, knowsley: CouncilWorld) -> None:
    tender, section, clause = _tender(knowsley), _section(knowsley), _clause(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, tender, f"sections/{section.pk}/")
    page = client.get(_url(knowsley, tender)).content.decode()
    assert "knowsley-private-clause" in page and 'hx-trigger="input delay:2s, change"' in page
    # The rich-text editor: its widget on the text, its scripts and styles in the head.
    assert "data-django-prose-editor-configurable" in page and "django_prose_editor/editor.css" in page
    missing = client.post(url, _post(section, insert_clause="1"))
    assert "Choose a clause to insert" in missing.content.decode()
    response = client.post(url, _post(section, body="<p>Typed first</p>", clause=str(clause.pk), insert_clause="1"))
    assert response.status_code == 302
    with council_scope(knowsley.council):
        saved = SpecificationSection.objects.get(pk=section.pk)
    assert saved.body.startswith("<p>Typed first</p>") and "located within the community" in saved.body
    assert saved.revision == 3


def test_versions_are_saved_and_compared_side_by_side(client, knowsley: CouncilWorld) -> None:
    tender, section = _tender(knowsley), _section(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    client.post(
        _url(knowsley, tender, f"sections/{section.pk}/"),
        _post(section, body="<p>knowsley-private-section-text about the new service.</p>"),
    )
    response = client.post(_url(knowsley, tender, "versions/new/"), {"note": "Residents' changes"})
    assert response.status_code == 302
    page = client.get(_url(knowsley, tender)).content.decode()
    assert "Version 2" in page and "Residents&#x27; changes" in page and "commissioner@" in page
    text = client.get(_url(knowsley, tender, "compare/?from=1&to=2")).content.decode()
    assert "Compare version 1 with version 2" in text
    assert '<ins><span class="govuk-visually-hidden">[added: </span>new ' in text
    assert "<caption" in text and 'scope="col"' in text
    same = client.get(_url(knowsley, tender, "compare/?from=2&to=2")).content.decode()
    assert "The two versions are the same." in same
    assert client.get(_url(knowsley, tender, "compare/?from=1&to=9")).status_code == 404
    assert client.get(_url(knowsley, tender, "compare/?from=x&to=2")).status_code == 200


@pytest.mark.world("people")
def test_the_clause_library_pages(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.COMMISSIONER])
    assert 'href="/c/knowsley/clauses/"' in client.get("/c/knowsley/tenders/").content.decode()
    error = client.post("/c/knowsley/clauses/new/", {"title": "", "body": ""}).content.decode()
    assert "<title>Error: " in error and "Enter the text of the clause" in error
    response = client.post(
        "/c/knowsley/clauses/new/",
        {"title": "Recruited locally", "body": "<p>Staff are recruited locally.</p>", "active": "on"},
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        clause = Clause.objects.get(title="Recruited locally")
    edit = client.post(f"/c/knowsley/clauses/{clause.pk}/", {"title": "Recruited locally", "body": "<p>Local</p>"})
    assert edit.status_code == 302
    with council_scope(knowsley.council):
        clause.refresh_from_db()
    assert clause.body == "<p>Local</p>" and not clause.active
    assert "Recruited locally" in client.get("/c/knowsley/clauses/").content.decode()


def test_the_tender_page_links_the_specification(client, knowsley: CouncilWorld) -> None:
    tender = _tender(knowsley)
    client.force_login(knowsley.people[Role.EVALUATOR])
    text = client.get(f"/c/knowsley/tenders/{tender.pk}/").content.decode()
    assert f'href="{_url(knowsley, tender)}">Read the specification' in text


def test_the_demo_specification_is_seeded_once(db: None) -> None:
    from commissioning.demo import seed
    from commissioning.models import Council

    seed()
    seed()
    knowsley = Council.objects.get(slug="knowsley")
    with council_scope(knowsley):
        tender = Tender.objects.get(title="Community navigation service")
        titles = list(SpecificationSection.objects.filter(tender=tender).values_list("title", flat=True))
        assert titles == ["Background", "The service", "Outcomes", "Social value"]
        service = SpecificationSection.objects.get(tender=tender, title="The service")
        assert "located within the community and fosters community connections" in service.body
        assert "recognised and valued resource in the community" in service.body
        assert SpecificationVersion.objects.filter(tender=tender).count() == 1
        assert Clause.objects.filter(council=knowsley).count() == 4


def test_the_editor_offers_only_what_the_sanitiser_keeps() -> None:
    from django_prose_editor.config import allowlist_from_extensions, expand_extensions

    from tenders.forms.specification import SECTION_EDITOR_EXTENSIONS
    from tenders.specification import ALLOWED_TAGS

    assert allowlist_from_extensions(expand_extensions(SECTION_EDITOR_EXTENSIONS))["tags"] <= ALLOWED_TAGS
