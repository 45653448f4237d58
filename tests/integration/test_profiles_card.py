"""The business card download: a vCard attachment with what the member chose to share."""

from __future__ import annotations

from tests.integration.test_profiles import save


def test_the_card_downloads_as_a_vcard_with_the_shared_fields(client, customer, as_member):
    assert (
        save(as_member(customer), {"card_fields": ["name", "company", "phone"]}).status_code == 302
    )
    response = client.get("/u/carla/card.vcf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="carla.vcf"'
    assert response.headers["Cache-Control"] == "private, no-cache"
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "FN:Carla Customer\r\n" in text and "ORG:Bean & Co\r\n" in text
    assert "TEL;VALUE=text;TYPE=work:+1 555 010 2030\r\n" in text
    assert "carla@example.com" not in text and "TITLE" not in text and "URL" not in text


def test_a_member_who_never_saved_a_profile_shares_only_their_name(client, customer):
    text = client.get("/u/carla/card.vcf").get_data(as_text=True)
    assert "FN:Carla Customer" in text and "EMAIL" not in text


def test_the_profile_page_links_the_card(client, customer):
    assert 'href="/u/carla/card.vcf"' in client.get("/u/carla").get_data(as_text=True)
