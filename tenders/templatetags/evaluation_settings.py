"""``{% price_formula_words tender criteria_rows %}``: the tender's price formula in plain words for
the notice, with the price weight of the published model's rows (``tenders.price.formula_text``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from tenders.price import FORMULAS, formula_text
from tenders.weights import plain_number

register = template.Library()


def _weight(rows: list[Any]) -> Decimal:
    total = Decimal(0)
    for row in rows or []:
        get = row.get if isinstance(row, dict) else lambda key, row=row: getattr(row, key, None)
        if get("kind") == "price" and not get("depth"):
            try:
                total += Decimal(str(get("weight")))
            except InvalidOperation:
                continue
    return total


@register.simple_tag
def price_formula_words(tender: Any, rows: list[Any]) -> str:
    if tender.price_formula not in FORMULAS:
        return ""
    budget = f"£{tender.estimated_value:,.2f}" if tender.estimated_value else "the estimated value"
    return formula_text(tender.price_formula, weight=f"{plain_number(_weight(rows))}% price weight", budget=budget)
