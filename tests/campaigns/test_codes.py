import itertools
import random

import pytest

from campaigns.codes import DIGITS, LETTERS, generate_code, looks_like_code, normalize_code


def test_generated_code_is_six_letters_then_three_digits():
    for _ in range(200):
        code = generate_code()
        assert looks_like_code(code), code
        assert set(code[:6]) <= set(LETTERS)
        assert set(code[6:]) <= set(DIGITS)


def test_alphabet_leaves_out_characters_pupils_misread():
    assert not {"I", "O"} & set(LETTERS)
    assert "0" not in DIGITS


def test_generation_uses_the_given_source_of_randomness():
    chooser = random.Random(4)
    assert generate_code(choice=chooser.choice) == generate_code(choice=random.Random(4).choice)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mpphcd934", "MPPHCD934"),
        ("  MPPHCD934 ", "MPPHCD934"),
        ("mpp-hcd-934", "MPPHCD934"),
        ("MPP HCD 934", "MPPHCD934"),
        ("mpp.hcd_934", "MPPHCD934"),
        ("", ""),
        (None, ""),
    ],
)
def test_typed_code_is_normalised_before_lookup(typed, expected):
    assert normalize_code(typed) == expected


@pytest.mark.parametrize("code", ["MPPHCD93", "MPPHCD9345", "MPPHC1934", "mpphcd934", "MPPHCDABC"])
def test_malformed_codes_are_recognised(code):
    assert not looks_like_code(code)


def test_codes_are_spread_over_a_large_space():
    codes = {generate_code() for _ in itertools.repeat(None, 2000)}
    assert len(codes) == 2000
