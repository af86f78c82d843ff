"""Downloads are named as typed, in a header every browser reads (RFC 6266 / RFC 5987)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commissioning.downloads import download_name
from commissioning.tenancy import council_scope
from tenders.models import TenderDocument
from tests import files
from tests.factories import CouncilWorld
from tests.tenders.test_bids_pages import _question_page, _url
from tests.tenders.test_publication_pages import published

pytestmark = pytest.mark.world("published")


def test_download_names_keep_their_words_but_no_path_or_control_characters() -> None:
    assert download_name("Terms/Conditions") == "Terms - Conditions"
    assert download_name("..\\..\\etc/passwd") == "- .. - etc - passwd"
    assert download_name('Plan "A"\r\n\x00') == "Plan A"
    assert download_name("Équipe d’été 2027") == "Équipe d’été 2027"
    assert download_name(" / ") == "-"
    assert download_name("...") == "download"


def test_a_non_ascii_attachment_name_is_sent_as_rfc_5987(knowsley: CouncilWorld) -> None:
    client, bid, url = _question_page(knowsley, "quality")
    upload = SimpleUploadedFile("Plan d’été – Café.docx", files.docx())
    assert client.post(url, {"answer": "Our answer", "revision": 1, "file": upload}).status_code == 302
    with council_scope(knowsley.council):
        attachment = bid.attachments.get()
    download = client.get(_url("bid_attachment", bid, attachment_id=attachment.pk))
    header = download["Content-Disposition"]
    assert header == "attachment; filename*=utf-8''Plan%20d%E2%80%99%C3%A9t%C3%A9%20%E2%80%93%20Caf%C3%A9.docx"
    assert header.isascii()  # no raw UTF-8 nor MIME-encoded words, which browsers show as garbage
    assert download.content == files.docx()


def test_a_slash_in_a_document_title_does_not_cut_its_download_name(client: Client, knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    with council_scope(knowsley.council):
        document = live.documents.get()
        TenderDocument.objects.filter(pk=document.pk).update(title="Terms/Conditions année 1")
    response = client.get(f"/c/knowsley/opportunities/{live.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Terms%20-%20Conditions%20ann%C3%A9e%201.csv"
