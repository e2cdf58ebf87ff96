"""Swedish is the default language and complete; English is complete through its msgids."""

from pathlib import Path

import polib
import pytest

import sifra

LOCALE = Path(sifra.__file__).parent / "locale"


@pytest.mark.parametrize("language", ["sv"])
def test_every_string_is_translated(language):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    assert not missing and not fuzzy, {"untranslated": missing[:20], "fuzzy": fuzzy[:20]}
    assert len(catalog.translated_entries()) > 300


@pytest.mark.parametrize("language", ["sv", "en"])
def test_compiled_catalog_is_up_to_date(language):
    """The committed .mo holds the same translations as the .po beside it."""
    folder = LOCALE / language / "LC_MESSAGES"
    po = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(folder / "django.po")).translated_entries()
        if not e.msgid_plural
    }
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(folder / "django.mo")) if not e.msgid_plural}
    assert {k: v for k, v in po.items() if k} == {k: v for k, v in mo.items() if k}


@pytest.mark.django_db
def test_pages_are_swedish_by_default_and_english_on_request(client):
    assert "Logga in" in client.get("/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in" in client.get("/login/").content.decode()
