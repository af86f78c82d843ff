"""Council pages of the tenders app, under /c/<council_slug>/ (included by commissioning.urls).

Each stage's view module has its own ``urlpatterns``: drafting's are listed here.
"""

from django.urls import path

from tenders.views import bids, codesign, opening, publication
from tenders.views import drafting as views

urlpatterns = [
    path("spend-policy/", views.spend_policy_public, name="spend_policy_public"),
    path("settings/spend-policy/", views.spend_policy_settings, name="spend_policy_settings"),
    path("settings/spend-policy/edit/", views.spend_policy_edit, name="spend_policy_edit"),
    path("settings/tender-policy/", views.tender_policy, name="tender_policy"),
    path("tenders/", views.tender_list, name="tenders"),
    path("commissions/<int:commission_id>/tenders/new/", views.tender_create, name="tender_create"),
    path("tenders/<int:tender_id>/", views.tender_detail, name="tender_detail"),
    path("tenders/<int:tender_id>/edit/", views.tender_edit, name="tender_edit"),
    path("tenders/<int:tender_id>/timetable/", views.tender_timetable, name="tender_timetable"),
    path("tenders/<int:tender_id>/lots/new/", views.lot_create, name="lot_create"),
    path("tenders/<int:tender_id>/lots/<int:lot_id>/", views.lot_edit, name="lot_edit"),
    path("tenders/<int:tender_id>/lots/<int:lot_id>/remove/", views.lot_remove, name="lot_remove"),
    path("tenders/<int:tender_id>/evaluation-model/", views.evaluation_model_edit, name="evaluation_model_edit"),
    path("tenders/<int:tender_id>/specification/", views.specification, name="specification"),
    path(
        "tenders/<int:tender_id>/specification/sections/new/",
        views.specification_section_add,
        name="specification_section_add",
    ),
    path(
        "tenders/<int:tender_id>/specification/sections/<int:section_id>/",
        views.specification_section_save,
        name="specification_section_save",
    ),
    path(
        "tenders/<int:tender_id>/specification/sections/<int:section_id>/remove/",
        views.specification_section_remove,
        name="specification_section_remove",
    ),
    path(
        "tenders/<int:tender_id>/specification/versions/<int:version_id>/sections/<int:index>/restore/",
        views.specification_section_restore,
        name="specification_section_restore",
    ),
    path(
        "tenders/<int:tender_id>/specification/versions/new/",
        views.specification_version_save,
        name="specification_version_save",
    ),
    path(
        "tenders/<int:tender_id>/specification/versions/<int:version_id>/",
        views.specification_version,
        name="specification_version",
    ),
    path("tenders/<int:tender_id>/specification/compare/", views.specification_compare, name="specification_compare"),
    path("clauses/", views.clause_list, name="clauses"),
    path("clauses/new/", views.clause_create, name="clause_create"),
    path("clauses/<int:clause_id>/", views.clause_edit, name="clause_edit"),
    *codesign.urlpatterns,
    *publication.urlpatterns,
    *bids.urlpatterns,
    *opening.urlpatterns,
]
