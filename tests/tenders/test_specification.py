"""The specification's pure module: sanitising rich text and comparing versions (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tenders.specification import (
    ADDED,
    CHANGED,
    REMOVED,
    UNCHANGED,
    Segment,
    diff_versions,
    has_changes,
    sanitise,
    text_lines,
    word_diff,
)

HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="https://example.org" onclick="x()">link</a>',
        '<img src=x onerror="alert(1)">',
        "<strong>",
        "</strong>",
        "<ul><li>item</li></ul>",
        '<div style="color:red">',
        "<h3>Heading</h3>",
        "<iframe src=//evil></iframe>",
        "text & more",
        "<",
        ">",
        '"',
    ]
)


def test_sanitise_strips_scripts_handlers_and_javascript_links() -> None:
    dirty = (
        '<p onclick="steal()">Hello <script>alert("x")</script><a href="javascript:alert(1)">click</a>'
        '<img src="x" onerror="alert(1)"><style>p{color:red}</style></p>'
    )
    clean = sanitise(dirty)
    assert "script" not in clean and "alert" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "<img" not in clean
    assert "javascript:" not in clean and "color:red" not in clean
    assert clean.startswith("<p>Hello ")


def test_sanitise_keeps_the_allow_list_and_makes_links_safe() -> None:
    text = (
        "<h3>Outcomes</h3><p><strong>Residents</strong> <em>first</em><br></p><ol><li>one</li></ol>"
        "<blockquote>quoted</blockquote><h4>Sub</h4><ul><li>two</li></ul>"
    )
    assert sanitise(text) == text
    link = sanitise('<a href="https://example.org/x" target="_blank" rel="opener">see</a>')
    assert link == '<a href="https://example.org/x" rel="noopener noreferrer nofollow">see</a>'
    assert sanitise('<div class="x"><span>kept text</span></div>') == "kept text"
    assert sanitise("") == ""


@given(st.lists(st.one_of(HTML_BITS, st.text(max_size=10)), max_size=12).map("".join))
def test_sanitise_is_idempotent_and_never_lets_script_through(text: str) -> None:
    once = sanitise(text)
    assert sanitise(once) == once
    lowered = once.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "onerror" not in lowered
    assert "<img" not in lowered and "<iframe" not in lowered


SECTIONS = [
    {"title": "Background", "body": "<p>Knowsley wants residents to reach support.</p>"},
    {"title": "The service", "body": "<p>Navigators meet residents.</p><ul><li>In Huyton</li><li>In Kirkby</li></ul>"},
]


def test_identical_versions_have_no_changes() -> None:
    rows = diff_versions(SECTIONS, [dict(s) for s in SECTIONS])
    assert [r.status for r in rows] == [UNCHANGED, UNCHANGED]
    assert not has_changes(rows)
    assert all(line.status == UNCHANGED for row in rows for line in row.lines)


@given(
    st.lists(
        st.fixed_dictionaries({"title": st.text(max_size=15), "body": st.text(max_size=40)}),
        max_size=5,
    )
)
def test_any_version_compared_with_itself_has_no_changes(sections: list[dict[str, str]]) -> None:
    assert not has_changes(diff_versions(sections, sections))


def test_a_changed_line_is_marked_word_by_word() -> None:
    new = [dict(SECTIONS[0]), {"title": "The service", "body": SECTIONS[1]["body"].replace("meet", "visit")}]
    rows = diff_versions(SECTIONS, new)
    assert [r.status for r in rows] == [UNCHANGED, CHANGED]
    line = rows[1].lines[0]
    assert line.status == CHANGED
    assert [(s.kind, s.text) for s in line.old] == [
        ("same", "Navigators "),
        ("removed", "meet"),
        ("same", " residents."),
    ]
    assert [(s.kind, s.text) for s in line.new] == [
        ("same", "Navigators "),
        ("added", "visit"),
        ("same", " residents."),
    ]


def test_sections_and_lines_added_and_removed() -> None:
    new = [
        {"title": "The service", "body": "<p>Navigators meet residents.</p><ul><li>In Huyton</li></ul>"},
        {"title": "Social value", "body": "<p>Local jobs.</p>"},
    ]
    rows = diff_versions(SECTIONS, new)
    assert [(r.status, r.title) for r in rows] == [
        (REMOVED, "Background"),
        (CHANGED, "The service"),
        (ADDED, "Social value"),
    ]
    assert [line.status for line in rows[1].lines] == [UNCHANGED, UNCHANGED, REMOVED]
    assert rows[2].old_title is None and rows[2].lines[0].status == ADDED


def test_a_renamed_section_is_a_change_with_both_titles() -> None:
    rows = diff_versions([{"title": "Aims", "body": "<p>x</p>"}], [{"title": "Outcomes", "body": "<p>x</p>"}])
    assert len(rows) == 1 and rows[0].status == CHANGED and rows[0].title_changed
    assert (rows[0].old_title, rows[0].new_title) == ("Aims", "Outcomes")


def test_text_lines_reads_paragraphs_items_and_entities() -> None:
    assert text_lines("<p>One &amp; two</p><ul><li>a</li></ul>line<br>next") == ["One & two", "• a", "line", "next"]
    assert word_diff("same words", "same words") == ((Segment("same", "same words"),), (Segment("same", "same words"),))
