"""What stops a bid's draft being submitted, without the database.

No Django imports, so it is fast and testable on plain data. The selector
``tenders.selectors.bids.bid_problems`` gathers the tender's facts (its questions, its lots,
whether it has a social value criterion) and asks :func:`draft_problems`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from tenders import exclusion

__all__ = ["NO_LOTS_KEY", "BidProblem", "Question", "word_count", "draft_problems"]

# The price of a tender without lots is keyed by this instead of a lot id.
NO_LOTS_KEY = "tender"


@dataclass(frozen=True)
class BidProblem:
    """One thing to fix before submitting: ``part`` is the task it belongs to (``question:<id>``,
    ``prices``, ``commitments``, ``declarations``), ``field`` the draft key, ``message`` for people."""

    part: str
    field: str
    message: str


class Question(Protocol):
    """A question bidders answer in words (a criterion of the tender, read as plain attributes)."""

    pk: Any
    title: str
    word_limit: int | None


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces and line breaks."""
    return len(re.findall(r"\S+", text or ""))


def draft_problems(
    *, questions: Sequence[Question], lot_keys: Sequence[str], has_social_value: bool, draft: dict[str, Any]
) -> list[BidProblem]:
    """Everything that stops this draft being submitted, in the order of the task list.

    ``questions`` in the order bidders see them; ``lot_keys`` the tender's lot ids as strings
    (none for a tender without lots).
    """
    problems: list[BidProblem] = []
    for number, question in enumerate(questions, start=1):
        answer = str(draft["answers"].get(str(question.pk), "")).strip()
        part = f"question:{question.pk}"
        if not answer:
            problems.append(BidProblem(part, "answer", f"Answer question {number}: {question.title}"))
        elif question.word_limit and word_count(answer) > question.word_limit:
            problems.append(
                BidProblem(
                    part,
                    "answer",
                    f"Your answer to question {number} ({question.title}) has {word_count(answer)} words: "
                    f"the limit is {question.word_limit}",
                )
            )
    keys = list(lot_keys) or [NO_LOTS_KEY]
    prices = {k: v for k, v in draft["prices"].items() if k in keys and str(v).strip()}
    if not prices:
        what = "at least one lot" if lot_keys else "the contract"
        problems.append(BidProblem("prices", "prices", f"Enter your price for {what}"))
    for key, value in prices.items():
        try:
            valid = Decimal(str(value)) > 0
        except InvalidOperation:
            valid = False
        if not valid:
            problems.append(BidProblem("prices", key, "Enter each price as an amount of more than £0"))
    commitments = draft["commitments"]
    if has_social_value and not commitments:
        problems.append(BidProblem("commitments", "commitments", "Add at least one social value commitment"))
    for number, row in enumerate(commitments, start=1):
        missing = [name for name in ("measure", "quantity", "unit", "by") if not str(row.get(name) or "").strip()]
        if missing:
            problems.append(
                BidProblem("commitments", "commitments", f"Commitment {number}: enter its {', '.join(missing)}")
            )
    declarations = draft["declarations"]
    # Procurement Act 2023 ss. 57-58: no bare "yes" to an exclusion ground (tenders.exclusion).
    problems += [BidProblem("declarations", p.field, p.message) for p in exclusion.exclusion_problems(declarations)]
    if declarations.get("conflicts") is None:
        problems.append(BidProblem("declarations", "conflicts", "Say whether you have a conflict of interest"))
    elif declarations.get("conflicts") and not str(declarations.get("conflicts_details") or "").strip():
        problems.append(
            BidProblem("declarations", "conflicts_details", "Describe your conflict of interest and how you manage it")
        )
    return problems
