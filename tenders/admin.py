"""Platform admin for the tenders app: global reference data, and a sealed view of tenders and bids.

Platform staff correct or add bank holidays and thresholds here between data migrations. The
councils' own policies are changed on the council pages, where every change is audited.

Tenders and bids are listed for support only, read-only, and never with bid content: a bid's
draft, a submission's content and an attachment's file and name are not shown, not editable, not
searchable, not sortable and not exported (there are no actions). Only ids, the tender, the
organisation, status, reference, hashes and times are, and only from the tender's submission
deadline: before it, bids are not listed at all (who is bidding is sealed too). The admin runs in the platform scope, so
nothing here may decrypt: tenders.sealing is never called.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from commissioning.admin import platform_admin_site
from tenders.models import BankHoliday, Bid, BidAttachment, BidSubmission, ProcurementThreshold, Tender


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: council data changes through the council pages and their services
    (which audit every change). ``fields`` is the whole allow-list of what the page may show."""

    actions = None  # no bulk actions, so no delete and no export through an action
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields or [])

    def label(self, obj: Any) -> str:
        """What the page calls the object (its title, breadcrumbs, history). ``str(obj)`` by default."""
        return str(obj)

    def _relabel(self, response: Any, obj_key: str) -> Any:
        # The response is rendered later (by the admin site, inside the platform scope), so its
        # context can still be changed: every place the object's own name would be printed.
        context = getattr(response, "context_data", None)
        if context and context.get(obj_key) is not None:
            obj = context[obj_key]
            label = self.label(obj)
            context[obj_key] = _Labelled(obj, label)
            if context.get("subtitle"):
                context["subtitle"] = label
            if obj_key == "object":
                context["title"] = f"Change history: {label}"
        return response

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        return self._relabel(super().change_view(request, object_id, form_url, extra_context), "original")

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        return self._relabel(super().history_view(request, object_id, extra_context), "object")


class _Labelled:
    """An object shown under another name: everything else (pk, _meta…) is the object's own."""

    def __init__(self, obj: Any, label: str) -> None:
        self._obj = obj
        self._label = label

    def __str__(self) -> str:
        return self._label

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


@admin.register(Tender, site=platform_admin_site)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "council", "estimated_value", "published_at", "submission_deadline"]
    list_filter = ["council"]
    search_fields = ["title"]
    list_select_related = ["council"]
    fields = [
        "id",
        "council",
        "commission",
        "title",
        "estimated_value",
        "procedure",
        "clarification_deadline",
        "submission_deadline",
        "planned_award_date",
        "standstill_days",
        "created_at",
        "published_at",
    ]


class SealedUntilTheDeadline(ReadOnlyAdmin):
    """Rows of bids whose tender's submission deadline (as it stands now) has not passed are not
    listed at all: before the deadline even which organisations are bidding, and how many drafts or
    replacements there are, is sealed. Providers read their own bids and receipts meanwhile."""

    tender_path = "bid__tender"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(**{f"{self.tender_path}__submission_deadline__lte": timezone.now()})


@admin.register(Bid, site=platform_admin_site)
class BidAdmin(SealedUntilTheDeadline):
    """Never ``draft``: it is the encrypted working draft."""

    tender_path = "tender"

    list_display = ["id", "tender", "organisation", "status", "compliance", "created_at", "updated_at"]
    list_filter = ["status", "compliance", "council"]
    search_fields: list[str] = []  # nothing to search by: content is sealed, names are for councils' pages
    list_select_related = ["tender", "organisation"]
    fields = [
        "id",
        "council",
        "tender",
        "organisation",
        "status",
        "draft_revision",
        "compliance",
        "compliance_at",
        "created_at",
        "updated_at",
        "withdrawn_at",
    ]


@admin.register(BidSubmission, site=platform_admin_site)
class BidSubmissionAdmin(SealedUntilTheDeadline):
    """Never ``content``: the receipt's reference and hash are enough to help a provider."""

    list_display = ["id", "reference", "bid_id", "number", "sha256", "submitted_at"]
    list_filter = ["council"]
    search_fields = ["reference"]
    fields = ["id", "council", "bid", "number", "reference", "sha256", "revision_number", "submitted_at"]


@admin.register(BidAttachment, site=platform_admin_site)
class BidAttachmentAdmin(SealedUntilTheDeadline):
    """Never ``file`` nor ``details`` (its name, type and size, sealed): a name can say as much as the document."""

    list_display = ["id", "bid_id", "question", "sha256", "uploaded_at", "removed_at"]
    list_filter = ["council"]
    search_fields: list[str] = []
    fields = ["id", "council", "bid", "question", "sha256", "uploaded_at", "removed_at"]

    def label(self, obj: Any) -> str:
        return f"Attachment {obj.pk} of bid {obj.bid_id}"
