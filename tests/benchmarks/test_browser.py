"""The benchmark's browser finds forms by what a person reads on them, not by the templates' markup."""

import pytest

from benchmarks.browser import PageError, find_form

PAGE = """
<form method="post" action="/deconnexion/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
  <button type="submit">Se déconnecter</button></form>
<form method="get" action="/campagnes/"><input name="code"><button>Rejoindre</button></form>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input type="hidden" name="participation" value="42"><input type="checkbox" name="accord">
  <button type="submit" class="button">J’envoie\u00a0mon  profil</button></form>
"""


def test_a_form_is_found_by_its_button_text_whatever_the_apostrophe_and_spaces():
    form = find_form(PAGE, button="J'envoie mon profil")

    assert form.action == ""
    assert form.fields == [("csrfmiddlewaretoken", "t"), ("participation", "42")]


def test_a_form_is_found_by_one_of_its_fields():
    assert find_form(PAGE, field="participation").has_button("envoie")


def test_a_get_form_is_never_posted():
    with pytest.raises(PageError, match="Se déconnecter"):
        find_form(PAGE, button="Rejoindre")
