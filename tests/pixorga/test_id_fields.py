"""The multiple choice of objects by id refuses malformed ids before any query."""

import pytest
from django import forms

from accounts.factories import UserFactory
from accounts.models import User
from pixorga.inputs import IdModelMultipleChoiceField

pytestmark = pytest.mark.django_db


class PeopleForm(forms.Form):
    people = IdModelMultipleChoiceField(queryset=User.objects.all())


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "٣", "-1", "9" * 10_000, "a\x00b"])
def test_malformed_ids_are_a_form_error_not_a_database_error(value, django_assert_num_queries):
    with django_assert_num_queries(0):
        form = PeopleForm({"people": [value]})
        assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["people"]] == ["invalid_pk_value"]


def test_good_ids_still_choose_their_objects():
    first, second = UserFactory(), UserFactory()
    form = PeopleForm({"people": [str(first.pk), str(second.pk)]})
    assert form.is_valid()
    assert set(form.cleaned_data["people"]) == {first, second}
