"""The tender specification without the database: sanitising its rich text and comparing two versions.

No Django imports, so it is fast and property-tested.

- :func:`sanitise` keeps a small allow-list of HTML (paragraphs, line breaks, bold, italics, lists,
  two heading levels, links and quotes) and drops everything else, including scripts, event
  handler attributes and ``javascript:`` links. It is idempotent.
- :func:`diff_versions` lines two versions' sections up by title, then each section's text by line
  and each changed line by word (``difflib``), marking what was added, removed or changed.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

UNCHANGED = "unchanged"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"

SAME = "same"


def sanitise(text: str) -> str:
    """Safe HTML from what a person typed or pasted: only the allow-list survives.

    Links keep only ``href`` (http, https or mailto) and get ``rel="noopener noreferrer nofollow"``.
    The content of ``<script>`` and ``<style>`` goes too, not just the tags.
    """
    if not text:
        return ""
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


_BREAKS = re.compile(r"<\s*(br\s*/?|/\s*(p|li|h3|h4|blockquote|ul|ol))\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def text_lines(body: str) -> list[str]:
    """The readable lines of a section's HTML: one per paragraph, list item, heading or line break."""
    text = _LIST_ITEM.sub("\n• ", body or "")
    text = _BREAKS.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Segment:
    """A run of words in one cell of the comparison: ``same``, ``added`` or ``removed``."""

    kind: str
    text: str


@dataclass(frozen=True)
class LineRow:
    """One line of the side-by-side comparison: the old line (left) and the new one (right)."""

    status: str
    old: tuple[Segment, ...]
    new: tuple[Segment, ...]


@dataclass(frozen=True)
class SectionRow:
    """One section of the comparison, with its lines. A section only in one version has no title on the other side."""

    status: str
    old_title: str | None
    new_title: str | None
    lines: tuple[LineRow, ...]

    @property
    def title(self) -> str:
        return self.new_title if self.new_title is not None else self.old_title or ""

    @property
    def title_changed(self) -> bool:
        return self.old_title is not None and self.new_title is not None and self.old_title != self.new_title


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].kind == segment.kind:
            merged[-1] = Segment(segment.kind, merged[-1].text + segment.text)
        elif segment.text:
            merged.append(segment)
    return tuple(merged)


def word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The two sides of a changed line, word by word: the left marks removed words, the right added ones."""
    old_words, new_words = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(Segment(SAME, "".join(old_words[i1:i2])))
            right.append(Segment(SAME, "".join(new_words[j1:j2])))
        else:
            left.append(Segment(REMOVED, "".join(old_words[i1:i2])))
            right.append(Segment(ADDED, "".join(new_words[j1:j2])))
    return _merge(left), _merge(right)


def _pair(old: Sequence[str], new: Sequence[str], same: str = UNCHANGED) -> list[tuple[str, int | None, int | None]]:
    """Line up two sequences: (status, index in old, index in new); a replaced block pairs up in order."""
    rows: list[tuple[str, int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [(same, i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(olds), len(news))):
            i = olds[k] if k < len(olds) else None
            j = news[k] if k < len(news) else None
            rows.append((CHANGED if i is not None and j is not None else REMOVED if j is None else ADDED, i, j))
    return rows


def diff_lines(old_body: str, new_body: str) -> tuple[LineRow, ...]:
    old_lines, new_lines = text_lines(old_body), text_lines(new_body)
    rows: list[LineRow] = []
    for status, i, j in _pair(old_lines, new_lines):
        if status == UNCHANGED:
            rows.append(LineRow(UNCHANGED, (Segment(SAME, old_lines[i]),), (Segment(SAME, new_lines[j]),)))  # type: ignore[index]
        elif status == CHANGED:
            left, right = word_diff(old_lines[i], new_lines[j])  # type: ignore[index]
            rows.append(LineRow(CHANGED, left, right))
        elif status == ADDED:
            rows.append(LineRow(ADDED, (), (Segment(ADDED, new_lines[j]),)))  # type: ignore[index]
        else:
            rows.append(LineRow(REMOVED, (Segment(REMOVED, old_lines[i]),), ()))  # type: ignore[index]
    return tuple(rows)


def _key(title: str) -> str:
    return " ".join(title.lower().split())


def diff_versions(
    old_sections: Sequence[Mapping[str, str]], new_sections: Sequence[Mapping[str, str]]
) -> list[SectionRow]:
    """Compare two versions' sections (``[{"title": ..., "body": html}, ...]``), in the new version's order.

    Sections are matched by title; where titles differ at the same place they are paired as a
    changed section (a renamed section). Identical versions give only ``unchanged`` rows.
    """
    old_titles = [_key(s.get("title", "")) for s in old_sections]
    new_titles = [_key(s.get("title", "")) for s in new_sections]
    rows: list[SectionRow] = []
    for _, i, j in _pair(old_titles, new_titles):
        old = old_sections[i] if i is not None else None
        new = new_sections[j] if j is not None else None
        lines = diff_lines(old.get("body", "") if old else "", new.get("body", "") if new else "")
        if old is None:
            status = ADDED
        elif new is None:
            status = REMOVED
        elif old.get("title", "") == new.get("title", "") and all(line.status == UNCHANGED for line in lines):
            status = UNCHANGED
        else:
            status = CHANGED
        rows.append(
            SectionRow(
                status=status,
                old_title=old.get("title", "") if old is not None else None,
                new_title=new.get("title", "") if new is not None else None,
                lines=lines,
            )
        )
    return rows


def has_changes(rows: Sequence[SectionRow]) -> bool:
    return any(row.status != UNCHANGED for row in rows)
