"""The one parsing path for request values: malformed input gives None or a 400/404, never a 500."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from pixorga.inputs import clean_text, parse_choice, parse_id
from pixorga.pagination import paginate


@pytest.mark.parametrize(
    "value, expected",
    [
        ("42", 42),
        ("0", None),
        ("-3", None),
        ("²", None),
        ("①", None),
        ("٣", None),
        ("4\x002", None),
        ("9" * 19, None),
        ("9" * 18, 10**18 - 1),
        ("", None),
        (None, None),
        (7, 7),
        (True, None),
    ],
)
def test_parse_id_takes_only_ascii_ids_that_fit_a_bigint(value, expected):
    assert parse_id(value) == expected


def test_parse_choice_falls_back_to_the_default():
    assert parse_choice("50", (25, 50)) == 50
    assert parse_choice("５０", (25, 50), default=25) == 25


def test_clean_text_drops_control_characters_and_bounds_the_length():
    assert clean_text("  Lef\x00èvre\t ") == "Lefèvre"
    assert len(clean_text("a" * 10_000)) == 100


@pytest.mark.parametrize(
    "page, expected", [("2", 2), ("²", 1), ("9" * 40, 1), ("99", 4), ("-1", 1), ("abc", 1)]
)
def test_paginate_never_fails_on_a_malformed_page(page, expected):
    request = RequestFactory().get("/", {"page": page, "taille": "10"})
    assert paginate(request, list(range(40))).number == expected


def test_paginate_ignores_a_page_size_it_does_not_offer():
    request = RequestFactory().get("/", {"taille": "100000"})
    assert paginate(request, list(range(40)), default_size=25).paginator.per_page == 25


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/orga/campagnes/²/", "/orga/campagnes/99999999999999999999999/"])
def test_malformed_ids_in_urls_are_404(client, teacher, path):
    client.force_login(teacher)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_nul_byte_in_a_query_string_is_a_400_with_a_french_message(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("campaigns:list"), {"nom": "a\x00b"})
    assert response.status_code == 400
    assert "caractère invalide" in response.content.decode()


@pytest.mark.django_db
def test_nul_byte_in_a_form_is_a_400(client):
    response = client.post(reverse("login"), {"username": "x\x00", "password": "y"})
    assert response.status_code == 400


def test_split_classes_takes_typed_and_repeated_classes():
    from pixorga.inputs import split_classes

    assert split_classes(["2NDE1, 2NDE2", "TG1", " ,2NDE1", "x\x00y"]) == ["2NDE1", "2NDE2", "TG1", "xy"]


def test_a_long_class_list_becomes_a_typed_field_of_constant_size():
    from pixorga.widgets import CHECKBOX_LIMIT, class_picker

    few = class_picker("classe", ["2NDE1", "2NDE2"], ["2NDE2"], "id_classe")
    assert few.count('type="checkbox"') == 2 and 'value="2NDE2" id="id_classe_1" checked' in few
    many = class_picker(
        "classe", [f"C{n:04d}" for n in range(CHECKBOX_LIMIT + 1000)], ["C0001", "C0002"], "id_c"
    )
    assert 'type="checkbox"' not in many and 'value="C0001, C0002"' in many and len(many) < 600
    assert 'for="id_c_typed"' in many and 'aria-describedby="id_c_typed_help"' in many


@pytest.mark.django_db
def test_late_row_pages_hold_the_same_rows_in_the_same_order(campaign):
    from campaigns.models import Participation
    from tests.campaigns.sendings import sent

    for index in range(7):
        sent(campaign, last_name=f"Nom{index}", pix={"1.1": 8 * index})
    rows = (
        Participation.objects.filter(campaign=campaign)
        .select_related("learner")
        .order_by("-pix_score", "-pk")
    )
    for number in ("1", "2", "3"):
        request = RequestFactory().get("/", {"page": number, "taille": "10"})
        plain = paginate(request, rows, default_size=3, sizes=(3,))
        late = paginate(request, rows, default_size=3, sizes=(3,), late_rows=True)
        assert list(late.object_list) == list(plain.object_list)
        assert [row.learner.last_name for row in late.object_list] == [row.learner.last_name for row in plain]
