"""Who owns a provider organisation, and whether its profits are locked in for the community. No Django here.

A council shaping its market (issue 11, "Market shaping") asks of each provider: is it owned by
the community it serves (a charity, a CIC, a co-operative, its employees, a community group), by
private investors (a private company, a private-equity fund), or by a group somewhere else (a
subsidiary, with its ultimate parent and that parent's country)? And are its profits locked in
for the community (an **asset lock**)?

The legal form answers some of this by law, so it fills what it can (:func:`from_legal_form`):
a charity's assets are held for its charitable purposes, and a community interest company has a
statutory asset lock (Companies (Audit, Investigations and Community Enterprise) Act 2004). The
organisation's members record the rest on its profile; :func:`ownership_problems` says what does
not fit, in words for people.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CHARITY",
    "CIC",
    "COOPERATIVE",
    "EMPLOYEE_OWNED",
    "COMMUNITY_GROUP",
    "PRIVATE_COMPANY",
    "PRIVATE_EQUITY",
    "SUBSIDIARY",
    "PUBLIC_BODY",
    "OTHER",
    "OWNERSHIP_TYPES",
    "COMMUNITY_OWNED",
    "WITH_PARENT",
    "Ownership",
    "from_legal_form",
    "effective",
    "ownership_problems",
]

CHARITY = "charity"
CIC = "cic"
COOPERATIVE = "cooperative"
EMPLOYEE_OWNED = "employee_owned"
COMMUNITY_GROUP = "community_group"
PRIVATE_COMPANY = "private_company"
PRIVATE_EQUITY = "private_equity"
SUBSIDIARY = "subsidiary"
PUBLIC_BODY = "public_body"
OTHER = "other"

# Value and words, in the order the profile form lists them.
OWNERSHIP_TYPES: tuple[tuple[str, str], ...] = (
    (CHARITY, "Charity"),
    (CIC, "Community interest company with an asset lock (CIC)"),
    (COOPERATIVE, "Co-operative"),
    (EMPLOYEE_OWNED, "Employee-owned"),
    (COMMUNITY_GROUP, "Community group"),
    (PRIVATE_COMPANY, "Private company"),
    (PRIVATE_EQUITY, "Backed by private equity"),
    (SUBSIDIARY, "Subsidiary of a group"),
    (PUBLIC_BODY, "Public body"),
    (OTHER, "Other"),
)

# Owned by the people it serves or works for, rather than by outside investors.
COMMUNITY_OWNED = frozenset({CHARITY, CIC, COOPERATIVE, EMPLOYEE_OWNED, COMMUNITY_GROUP})
# Ownership types with an owner elsewhere: the ultimate parent (or the fund) and its country.
WITH_PARENT = frozenset({SUBSIDIARY, PRIVATE_EQUITY})

# Legal form (commissioning.models.LegalForm values) -> (ownership type, asset lock by law).
# "sme" and "large_company" say nothing of who owns the company: "private company" until its
# members say otherwise. A co-operative may or may not lock its assets: its rules say, not the law.
_BY_LEGAL_FORM: dict[str, tuple[str, bool]] = {
    "charity": (CHARITY, True),
    "cic": (CIC, True),
    "cooperative": (COOPERATIVE, False),
    "community_group": (COMMUNITY_GROUP, False),
    "sme": (PRIVATE_COMPANY, False),
    "large_company": (PRIVATE_COMPANY, False),
    "public_body": (PUBLIC_BODY, False),
    "other": (OTHER, False),
}

# Legal forms whose assets are locked by law, and the ownership type each must have.
_FIXED_BY_LAW = {"charity": CHARITY, "cic": CIC}
_LEGAL_FORM_WORDS = {"charity": "a charity", "cic": "a community interest company"}


@dataclass(frozen=True)
class Ownership:
    """An organisation's ownership as the market figures read it."""

    ownership: str
    asset_locked: bool

    @property
    def private_equity(self) -> bool:
        return self.ownership == PRIVATE_EQUITY


def from_legal_form(legal_form: str) -> Ownership:
    """What the legal form says about ownership and the asset lock (an unknown form says "other", no lock)."""
    ownership, locked = _BY_LEGAL_FORM.get(legal_form, (OTHER, False))
    return Ownership(ownership, locked)


def effective(legal_form: str, ownership: str, asset_locked: bool | None) -> Ownership:
    """The ownership to count: what the members recorded, the legal form filling what they left
    empty (an empty type, an unanswered asset lock). A legal form with a lock by law is locked."""
    implied = from_legal_form(legal_form)
    locked = implied.asset_locked or (asset_locked if asset_locked is not None else False)
    return Ownership(ownership or implied.ownership, locked)


def ownership_problems(
    *, legal_form: str, ownership: str, asset_locked: bool | None, parent_name: str, parent_country: str
) -> dict[str, str]:
    """What does not fit, by field: empty when the answers agree with each other and the legal form."""
    problems: dict[str, str] = {}
    known = {value for value, _ in OWNERSHIP_TYPES}
    if ownership and ownership not in known:
        problems["ownership"] = "Choose how the organisation is owned"
    fixed = _FIXED_BY_LAW.get(legal_form)
    if fixed and ownership and ownership != fixed:
        words = dict(OWNERSHIP_TYPES)[fixed]
        problems["ownership"] = f"The legal form is {_LEGAL_FORM_WORDS[legal_form]}: choose “{words}” as its ownership"
    if fixed and asset_locked is False:
        problems["asset_locked"] = (
            f"The assets of {_LEGAL_FORM_WORDS[legal_form]} are locked in by law: "
            "choose “Yes”, or change the legal form"
        )
    if ownership == SUBSIDIARY:
        if not parent_name.strip():
            problems["parent_name"] = "Enter the name of the ultimate parent company of the group"
        if not parent_country.strip():
            problems["parent_country"] = "Enter the country where the ultimate parent company is registered"
    elif ownership not in WITH_PARENT and (parent_name.strip() or parent_country.strip()):
        field = "parent_name" if parent_name.strip() else "parent_country"
        problems[field] = (
            "Leave the ultimate parent empty, or choose “Subsidiary of a group” or “Backed by private equity” "
            "as the ownership"
        )
    return problems
