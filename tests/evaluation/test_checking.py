"""Checking answers on the server, and how the bank's French text is rendered."""

import pytest

from evaluation.checking import is_choice_right, is_short_answer_right, normalize_short_answer
from evaluation.text import render_inline_markdown, render_markdown
from pixorga.typography import NBSP, french_spacing


@pytest.mark.parametrize("typed", ["Guillemets", "  les   GUILLEMETS ", "les guillemets"])
def test_short_answer_ignores_case_and_extra_spaces(typed):
    assert is_short_answer_right(typed, ["guillemets", "les guillemets"])


@pytest.mark.parametrize("typed", ["hameconnage", "HAMEÇONNAGE", "l'hameçonnage", "l’hameçonnage"])
def test_short_answer_ignores_accents_and_apostrophe_style(typed):
    assert is_short_answer_right(typed, ["hameçonnage", "l’hameçonnage"])


def test_short_answer_ligatures_compare_with_their_letters():
    assert normalize_short_answer("Cœur") == normalize_short_answer("coeur") == "coeur"


@pytest.mark.parametrize("typed", ["", "   ", "guillemet s", "parenthèses"])
def test_short_answer_other_words_or_nothing_are_wrong(typed):
    assert not is_short_answer_right(typed, ["guillemets"])


def test_multiple_choice_needs_all_the_right_proposals_and_only_them():
    assert is_choice_right([1, 3], [3, 1])
    assert not is_choice_right([1], [1, 3])
    assert not is_choice_right([1, 2, 3], [1, 3])
    assert not is_choice_right([], [])


def test_french_spacing_puts_non_breaking_spaces_where_french_wants_them():
    assert french_spacing("Pourquoi ? Voici : « oui » ; non !") == (
        f"Pourquoi{NBSP}? Voici{NBSP}: «{NBSP}oui{NBSP}»{NBSP}; non{NBSP}!"
    )
    assert french_spacing("Quoi?! «mot»") == f"Quoi{NBSP}?! «{NBSP}mot{NBSP}»"


def test_french_spacing_leaves_times_and_addresses_alone():
    assert (
        french_spacing("À 10:30, ouvrez https://exemple.fr/?q=1") == "À 10:30, ouvrez https://exemple.fr/?q=1"
    )


def test_markdown_renders_simple_formatting_and_keeps_code_as_typed():
    html = render_markdown("Tapez **vite** : `C:\\dossier ?`\n\n- un\n- deux")
    assert f"<strong>vite</strong>{NBSP}: <code>C:\\dossier ?</code>" in html
    assert "<ul>\n<li>un</li>" in html


def test_markdown_lets_no_markup_or_link_of_the_bank_through():
    html = render_markdown('<script>alert(1)</script> [lien](javascript:alert(1)) <img src=x onerror="x">')
    assert "<script>" not in html and "<a " not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_inline_markdown_has_no_paragraph():
    assert render_inline_markdown("*Oui*") == "<em>Oui</em>"
