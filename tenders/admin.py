"""Platform admin for the tenders app's global reference data.

Platform staff correct or add bank holidays and thresholds here between data migrations. The
councils' own policies are changed on the council pages, where every change is audited.
"""

from __future__ import annotations

from django.contrib import admin

from commissioning.admin import platform_admin_site
from tenders.models import BankHoliday, ProcurementThreshold


@admin.register(BankHoliday, site=platform_admin_site)
class BankHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "region"]
    list_filter = ["region"]
    date_hierarchy = "date"


@admin.register(ProcurementThreshold, site=platform_admin_site)
class ProcurementThresholdAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "amount", "includes_vat", "effective_from"]
    list_filter = ["key", "includes_vat"]
    search_fields = ["key", "name"]
