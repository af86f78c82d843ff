"""UK postcodes and postcode districts, without Django, so eligibility rules can use them anywhere.

A full postcode is an outward code (the *district*, e.g. ``L36``) and an inward code (``9YU``).
A council's local area is a list of districts; an organisation is local when its postcode's
district is in that list.
"""

import re

# The outward code: area (1-2 letters) + district (digit, then an optional digit or letter).
_DISTRICT = r"[A-Z]{1,2}[0-9][0-9A-Z]?"
_INWARD = r"[0-9][A-Z]{2}"
DISTRICT_RE = re.compile(rf"^{_DISTRICT}$")
POSTCODE_RE = re.compile(rf"^({_DISTRICT}) ?({_INWARD})$")


def normalise_postcode(value: str) -> str:
    """Upper-case with one space before the inward code: ``l36 9yu`` -> ``L36 9YU``.

    Raises ValueError when the text is not shaped like a UK postcode.
    """
    compact = re.sub(r"\s+", "", value or "").upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        raise ValueError(f"{value!r} is not a UK postcode, like L36 9YU")
    return f"{match.group(1)} {match.group(2)}"


def postcode_district(postcode: str) -> str:
    """The outward code of a postcode: ``L36 9YU`` -> ``L36``."""
    return normalise_postcode(postcode).split(" ")[0]


def normalise_district(value: str) -> str:
    district = re.sub(r"\s+", "", value or "").upper()
    if not DISTRICT_RE.match(district):
        raise ValueError(f"{value!r} is not a postcode district, like L36 or SE15")
    return district


def parse_districts(text: str) -> list[str]:
    """Districts from free text separated by commas, spaces or new lines; sorted, no repeats."""
    parts = [p for p in re.split(r"[\s,;]+", text or "") if p]
    return sorted({normalise_district(p) for p in parts})


def is_local(postcode: str, local_area: list[str]) -> bool:
    try:
        return postcode_district(postcode) in set(local_area)
    except ValueError:
        return False
