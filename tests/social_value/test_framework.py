"""social_value.framework: measures, retirement, published versions, the Social Value Model seed, and
the all-or-nothing CSV import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from social_value import framework as services
from social_value.audit_labels import SocialValueAction
from social_value.framework_csv import COLUMNS, read_framework_csv, write_framework_csv
from social_value.models import FrameworkVersion, FrameworkVersionEntry, Measure, MeasureVersion, Theme
from social_value.selectors import framework_export_rows
from social_value.social_value_model import ATTRIBUTION, SOCIAL_VALUE_MODEL, SOURCE
from tests.factories import CouncilWorld
from tests.factories.social_value import framework_rows

pytestmark = pytest.mark.world("commissions")

HEADER = ",".join(COLUMNS[:7]) + ",proxy_value,proxy_source,proxy_year,contributes_to"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _actions(world: CouncilWorld) -> list[str]:
    return list(AuditEvent.objects.filter(council=world.council).order_by("pk").values_list("action", flat=True))


def test_publishing_freezes_definitions_and_a_later_change_is_the_next_version(knowsley: CouncilWorld) -> None:
    admin = knowsley.people[Role.ADMIN]
    with council_scope(knowsley.council):
        # Given two measures, published as version 1
        first, second = framework_rows(council=knowsley.council, measures=2)
        v1 = services.framework_publish(council=knowsley.council, actor=admin)
        # When one measure's unit changes and the framework is published again
        services.measure_update(measure=first, actor=admin, unit="full-time equivalent jobs")
        v2 = services.framework_publish(council=knowsley.council, actor=admin, note="Jobs in FTE")

        # Then version 1 still holds the old definition, version 2 the new one, and the unchanged
        # measure is the same measure version in both
        def units(version: FrameworkVersion) -> dict[str, tuple[int, str]]:
            entries = FrameworkVersionEntry.objects.filter(framework_version=version).select_related(
                "measure_version__measure"
            )
            return {e.measure_version.measure.code: (e.measure_version.number, e.measure_version.unit) for e in entries}

        assert units(v1) == {first.code: (1, "hours"), second.code: (1, "hours")}
        assert units(v2) == {first.code: (2, "full-time equivalent jobs"), second.code: (1, "hours")}
        assert (v1.number, v2.number, v2.note, v2.published_by) == (1, 2, "Jobs in FTE", admin)
        first.refresh_from_db()
        assert first.version == 2
        assert MeasureVersion.objects.filter(measure=second).count() == 1
        assert _actions(knowsley).count(SocialValueAction.FRAMEWORK_PUBLISHED) == 2
        # And publishing with nothing changed is refused
        with pytest.raises(ValidationError, match="Nothing has changed since version 2"):
            services.framework_publish(council=knowsley.council, actor=admin)


def test_a_retired_measure_is_kept_left_out_of_the_next_version_and_cannot_change(knowsley: CouncilWorld) -> None:
    admin = knowsley.people[Role.ADMIN]
    with council_scope(knowsley.council):
        kept, retired = framework_rows(council=knowsley.council, measures=2)
        services.framework_publish(council=knowsley.council, actor=admin)
        services.measure_retire(measure=retired, actor=admin)
        v2 = services.framework_publish(council=knowsley.council, actor=admin)
        codes = set(
            FrameworkVersionEntry.objects.filter(framework_version=v2).values_list(
                "measure_version__measure__code", flat=True
            )
        )
        assert codes == {kept.code}
        retired.refresh_from_db()
        assert retired.is_retired and retired.retired_by == admin
        with pytest.raises(ValidationError, match="retired"):
            services.measure_update(measure=retired, actor=admin, name="Something else")
        with pytest.raises(ValidationError, match="retired"):
            services.measure_retire(measure=retired, actor=admin)
        # A measure that has been published is never deleted.
        with pytest.raises(ProtectedError):
            retired.delete()
        assert SocialValueAction.MEASURE_RETIRED in _actions(knowsley)


def test_a_measure_needs_a_unique_code_and_a_proxy_value_only_with_its_source_and_year(
    knowsley: CouncilWorld,
) -> None:
    admin = knowsley.people[Role.ADMIN]
    with council_scope(knowsley.council):
        (existing,) = framework_rows(council=knowsley.council)
        base = {"council": knowsley.council, "actor": admin, "outcome": existing.outcome, "name": "N", "unit": "u"}
        with pytest.raises(ValidationError) as clash:
            services.measure_create(code=existing.code.lower(), **base)
        assert "code" in clash.value.message_dict
        with pytest.raises(ValidationError) as proxy:
            services.measure_create(code="NEW-1", proxy_value=Decimal("3.50"), **base)
        assert set(proxy.value.message_dict) == {"proxy_source", "proxy_year"}
        measure = services.measure_create(
            code="NEW-1",
            proxy_value=Decimal("3.50"),
            proxy_source="Council's own unit cost study",
            proxy_year=2025,
            contributes_to=[knowsley.outcome],
            **base,
        )
        assert list(measure.contributes_to.all()) == [knowsley.outcome]
        assert _actions(knowsley) == [SocialValueAction.MEASURE_CREATED]


def test_the_social_value_model_seed_is_attributed_has_no_proxy_values_and_is_version_1(
    knowsley: CouncilWorld,
) -> None:
    with council_scope(knowsley.council):
        framework = services.framework_seed_social_value_model(council=knowsley.council, actor=None)
        again = services.framework_seed_social_value_model(council=knowsley.council, actor=None)
        assert again.pk == framework.pk
        assert (framework.attribution, framework.source) == (ATTRIBUTION, SOURCE)
        assert "Open Government Licence v3.0" in framework.attribution
        assert list(Theme.objects.filter(council=knowsley.council).values_list("title", flat=True)) == [
            t.title for t in SOCIAL_VALUE_MODEL
        ]
        measures = Measure.objects.filter(council=knowsley.council)
        assert measures.count() == sum(len(o.measures) for t in SOCIAL_VALUE_MODEL for o in t.outcomes)
        assert not measures.filter(proxy_value__isnull=False).exists()
        assert FrameworkVersion.objects.filter(council=knowsley.council).count() == 1
        assert _actions(knowsley) == [SocialValueAction.FRAMEWORK_SEEDED, SocialValueAction.FRAMEWORK_PUBLISHED]


def test_a_csv_with_one_bad_row_imports_nothing_and_once_fixed_imports_everything(knowsley: CouncilWorld) -> None:
    admin = knowsley.people[Role.ADMIN]
    outcome_title = knowsley.outcome.title
    good = f"Local economy,More local jobs,LJ-1,Local people hired,people,,Payroll,,,,{outcome_title}"
    bad = "Local economy,More local jobs,LJ-2,Local apprentices,apprenticeships,,,12.5,Own study,20X5,"
    fixed = bad.replace("20X5", "2025")
    with council_scope(knowsley.council):
        # When a file with one bad row (a year that is not one) is imported
        with pytest.raises(services.FrameworkImportRefused) as refused:
            services.framework_import(council=knowsley.council, actor=admin, data=_csv(good, bad))
        # Then the problem names its row and column, and nothing at all was imported
        assert [(p.row, p.column) for p in refused.value.problems] == [(3, "proxy_year")]
        assert "Row 3, column proxy_year" in str(refused.value.problems[0])
        assert not Measure.objects.filter(council=knowsley.council).exists()
        assert not Theme.objects.filter(council=knowsley.council).exists()
        assert _actions(knowsley) == []
        # When the fixed file is imported, both measures are there under the new theme and outcome
        report = services.framework_import(council=knowsley.council, actor=admin, data=_csv(good, fixed))
        assert (report.added, report.changed, report.unchanged) == (["LJ-1", "LJ-2"], [], 0)
        measures = {
            m.code: m for m in Measure.objects.filter(council=knowsley.council).select_related("outcome__theme")
        }
        assert measures["LJ-2"].proxy_value == Decimal("12.50") and measures["LJ-2"].proxy_year == 2025
        assert measures["LJ-1"].outcome.theme.title == "Local economy"
        assert list(measures["LJ-1"].contributes_to.all()) == [knowsley.outcome]
        assert _actions(knowsley)[-1] == SocialValueAction.FRAMEWORK_IMPORTED
        # And the export imports back unchanged
        exported = write_framework_csv(framework_export_rows(council=knowsley.council)).encode()
        again = services.framework_import(council=knowsley.council, actor=admin, data=exported)
        assert (again.added, again.changed, again.unchanged) == ([], [], 2)
        # A changed row updates its measure
        changed = services.framework_import(
            council=knowsley.council, actor=admin, data=_csv(good.replace("Local people hired", "Residents hired"))
        )
        assert changed.changed == ["LJ-1"]


def test_a_row_of_a_retired_measure_must_say_so(knowsley: CouncilWorld) -> None:
    admin = knowsley.people[Role.ADMIN]
    with council_scope(knowsley.council):
        (measure,) = framework_rows(council=knowsley.council)
        services.measure_retire(measure=measure, actor=admin)
        row = f"T theme 1,T outcome 1.1,{measure.code},Renamed,hours,,,,,,"
        with pytest.raises(services.FrameworkImportRefused) as refused:
            services.framework_import(council=knowsley.council, actor=admin, data=_csv(row))
        assert [(p.row, p.column) for p in refused.value.problems] == [(2, "retired")]


def test_reading_a_csv_reports_every_problem_with_its_row_and_column() -> None:
    data = _csv(
        ",Outcome,A-1,Name,unit,,,,,,",  # no theme
        "Theme,Outcome,A 2,Name,unit,,,-1,Source,2025,",  # bad code, negative proxy
        "Theme,Outcome,A-3,Name,unit,,,,Source,,",  # source without a value
        "Theme,Outcome,A-4,Name,unit,,,,,,Nowhere",  # unknown core outcome
        "Theme,Outcome,a-4,Name,unit,,,,,,",  # duplicate code (any case)
        "Theme,Outcome,A-6,Name,unit,,,1.234,Source,2025,",  # pence only
    )
    read = read_framework_csv(data, outcome_titles=["Somewhere"])
    assert [(p.row, p.column) for p in read.problems] == [
        (2, "theme"),
        (3, "code"),
        (3, "proxy_value"),
        (4, "proxy_value"),
        (5, "contributes_to"),
        (6, "code"),
        (7, "proxy_value"),
    ]


def test_reading_refuses_files_it_cannot_trust() -> None:
    assert read_framework_csv(b"x" * 1_000_001, outcome_titles=[]).problems[0].row == 0
    assert "UTF-8" in read_framework_csv(b"\xff\xfe\x00", outcome_titles=[]).problems[0].message
    unknown = read_framework_csv(b"theme,outcome,code,name,unit,colour\n", outcome_titles=[])
    assert [(p.row, p.column) for p in unknown.problems] == [(1, "colour")]
    missing = read_framework_csv(b"theme,code,name\n", outcome_titles=[])
    assert {p.column for p in missing.problems} == {"outcome", "unit"}
    assert "no measures" in read_framework_csv(HEADER.encode(), outcome_titles=[]).problems[0].message
    # A spreadsheet's byte order mark is fine; a formula guard written on export is taken off.
    text = "\ufefftheme,outcome,code,name,unit,description\nT,O,C-1,N,u,'=1+1\n".encode()
    (row,) = read_framework_csv(text, outcome_titles=[]).rows
    assert row.description == "=1+1"
    assert write_framework_csv([["T", "O", "C-1", "N", "u", "=1+1"]]).splitlines()[1].endswith("'=1+1")


def test_the_demo_and_the_command_give_a_council_the_social_value_model(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    from django.core.management import call_command

    from social_value.demo import seed_frameworks

    seed_frameworks({"knowsley": knowsley.council, "southwark": southwark.council})
    with council_scope(knowsley.council):
        assert Measure.objects.filter(council=knowsley.council, code="SVM-1.1").exists()
    with council_scope(southwark.council):
        assert not Measure.objects.filter(council=southwark.council).exists()  # the demo seeds Knowsley only
    out = io.StringIO()
    call_command("seed_social_value_framework", "southwark", stdout=out)
    assert "measures" in out.getvalue()
    with council_scope(southwark.council):
        assert Measure.objects.filter(council=southwark.council, code="SVM-1.1").exists()


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@given(
    rows=st.lists(
        st.tuples(
            _text.filter(bool),
            _text.filter(bool),
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True),
            _text.filter(bool),
            _text.filter(bool),
            _text,
        ),
        max_size=20,
        unique_by=lambda row: row[2].casefold(),
    )
)
@example(rows=[("T", "O", "C-1", "N", "u", "'=x")])
@example(rows=[("T", "O", "C-1", "N", "u", "''-1")])
@settings(max_examples=60, deadline=None)
def test_what_is_written_reads_back_the_same(rows: list[tuple[str, ...]]) -> None:
    """Any framework the export writes (formula guards included) the import reads back unchanged."""
    written = write_framework_csv([[*row, "", "", "", "", "", ""] for row in rows]).encode()
    read = read_framework_csv(written, outcome_titles=[])
    if not rows:
        assert read.problems and not read.rows
        return
    assert read.problems == []
    assert [(r.theme, r.outcome, r.code, r.name, r.unit, r.description) for r in read.rows] == rows
