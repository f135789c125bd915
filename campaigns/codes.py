"""Campaign codes in Pix's format: 6 upper-case letters then 3 digits, e.g. MPPHCD934.

Like Pix, the alphabet leaves out characters a pupil would misread when copying from the board: the
letters I and O, and the digit 0.
"""

import re
import secrets

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "123456789"
CODE_LENGTH = 9
# The format every stored code has; the database checks it too (campaign_code_format).
CODE_REGEX = r"^[A-Z]{6}[0-9]{3}$"
CODE_PATTERN = re.compile(CODE_REGEX, re.ASCII)

_TYPING_NOISE = re.compile(r"[\s\-_.]+")


def generate_code(*, choice=secrets.choice):
    return "".join(choice(LETTERS) for _ in range(6)) + "".join(choice(DIGITS) for _ in range(3))


def normalize_code(typed):
    """What a person typed, in the form codes are stored: upper case, without spaces, dashes or dots."""
    return _TYPING_NOISE.sub("", typed or "").upper()


def looks_like_code(code):
    return bool(CODE_PATTERN.fullmatch(code))
