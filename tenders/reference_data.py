"""Load the reference data in ``tenders/data/`` (bank holidays, procurement thresholds) into the database.

Data migrations call these with their historical models; tests call :func:`load_all` because a
transactional test empties every table, reference data included. Loading is idempotent: a row
with the same natural key is updated, nothing is deleted. A later year's holidays or a new
threshold is a new JSON file (or entries) and a new data migration calling these functions.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
BANK_HOLIDAYS_FILE = "bank_holidays.json"
THRESHOLDS_FILE = "thresholds_2026.json"


def _read(filename: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))


def load_bank_holidays(model: Any, filename: str = BANK_HOLIDAYS_FILE) -> int:
    data = _read(filename)
    for holiday in data["holidays"]:
        model.objects.update_or_create(
            region=holiday.get("region", data["region"]),
            date=date.fromisoformat(holiday["date"]),
            defaults={"name": holiday["name"]},
        )
    return len(data["holidays"])


def load_thresholds(model: Any, filename: str = THRESHOLDS_FILE) -> int:
    data = _read(filename)
    for threshold in data["thresholds"]:
        model.objects.update_or_create(
            key=threshold["key"],
            effective_from=date.fromisoformat(threshold["effective_from"]),
            defaults={
                "name": threshold["name"],
                "amount": Decimal(threshold["amount"]),
                "currency": threshold.get("currency", "GBP"),
                "includes_vat": threshold["includes_vat"],
                "source": threshold.get("source", data.get("source", "")),
            },
        )
    return len(data["thresholds"])


def load_all() -> None:
    from tenders.models import BankHoliday, ProcurementThreshold

    load_bank_holidays(BankHoliday)
    load_thresholds(ProcurementThreshold)
