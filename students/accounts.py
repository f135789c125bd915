"""Pupil accounts that the school hands out: a login `prénom.nomJJMM` and a one-time password, which the
pupil replaces at his first login (students.middleware).

The clear passwords exist only in the value these functions return, which the view turns into the one
download the teacher gets: they are never stored, logged, or kept in a session.
"""

import csv
import io
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.models import Membership
from campaigns.export import BOM, neutralize_formula

from .models import GeneratedAccount
from .names import normalize_name

# No 0/o, 1/l/i: the pupil copies the password from a paper slip.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 10
# The temporary password is random (about 50 bits) and replaced at first login, where Django re-hashes
# it with the full cost anyway: a lighter hash lets a teacher generate a whole class in a second or two.
TEMPORARY_PASSWORD_ITERATIONS = 20_000
MAX_ACCOUNTS_PER_REQUEST = 500
CSV_HEADER = ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]

_NOT_LOGIN_CHARACTERS = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Credentials:
    division: str
    last_name: str
    first_name: str
    username: str
    password: str = field(repr=False)  # never in a log line or an error report


@dataclass(frozen=True)
class Skipped:
    learner: object
    reason: str


def username_base(*, first_name, last_name, birthdate):
    """`prénom.nomJJMM`: lower case, without accents, spaces, apostrophes or dashes."""

    def part(name):
        return _NOT_LOGIN_CHARACTERS.sub("", normalize_name(name))

    day_month = f"{birthdate:%d%m}" if birthdate else ""
    return f"{part(first_name)}.{part(last_name)}{day_month}"[:140]


def username_candidates(base):
    """base, base2, base3…: the first one nobody holds becomes the login."""
    yield base
    number = 2
    while True:
        yield f"{base}{number}"
        number += 1


def temporary_password():
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))
        if any(char.isdigit() for char in password) and any(char.isalpha() for char in password):
            return password


@sensitive_variables("password")
def _hash(password):
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=TEMPORARY_PASSWORD_ITERATIONS)
    return hasher.encode(password, hasher.salt())


def _taken_usernames(candidates):
    return set(
        get_user_model()
        .objects.annotate(lower_username=Lower("username"))
        .filter(lower_username__in=[candidate.lower() for candidate in candidates])
        .values_list("lower_username", flat=True)
    )


def _new_user(learner, password_hash, reserved):
    """Create the account of `learner` under the first free `prénom.nomJJMM`."""
    user_model = get_user_model()
    base = username_base(
        first_name=learner.first_name, last_name=learner.last_name, birthdate=learner.birthdate
    )
    candidates = username_candidates(base)
    while True:
        batch = [next(candidates) for _ in range(5)]
        taken = _taken_usernames(batch) | reserved
        for username in batch:
            if username in taken:
                continue
            try:
                with transaction.atomic():
                    user = user_model.objects.create(
                        username=username,
                        first_name=learner.first_name,
                        last_name=learner.last_name,
                        password=password_hash,
                    )
            except IntegrityError:
                continue  # taken meanwhile by another request: try the next one
            reserved.add(username)
            return user


def _refusal(learner):
    user = learner.user
    if user is not None and (user.is_staff or user.is_superuser or learner.user_is_member):
        return "ce compte appartient aussi à un membre d'une organisation : il n'est pas modifié"
    return ""


@sensitive_variables("password", "password_hash", "credentials")
def learner_accounts_generate(*, learners, by, reset_only=False):
    """Give each learner a login and a new temporary password.

    A learner without an account gets one (`prénom.nomJJMM`); one who has an account keeps his login and
    gets a new temporary password. With `reset_only`, learners without an account are skipped. Returns
    (credentials, skipped).
    """
    credentials, skipped = [], []
    reserved = set()
    now = timezone.now()
    with transaction.atomic():
        locked = (
            learners.select_for_update(of=("self",))
            .select_related("user")
            .annotate(user_is_member=Exists(Membership.objects.filter(user_id=OuterRef("user_id"))))
            .order_by("pk")
        )
        for learner in locked:
            reason = _refusal(learner)
            if learner.user is None and reset_only:
                reason = "cet élève n'a pas encore de compte : générez-lui un identifiant"
            if reason:
                skipped.append(Skipped(learner, reason))
                continue
            password = temporary_password()
            password_hash = _hash(password)
            if learner.user is None:
                learner.user = _new_user(learner, password_hash, reserved)
                learner.save(update_fields=["user"])
            else:
                learner.user.password = password_hash
                learner.user.save(update_fields=["password"])
            GeneratedAccount.objects.update_or_create(
                user=learner.user,
                defaults={
                    "must_change_password": True,
                    "password_generated_at": now,
                    "password_generated_by": by,
                },
            )
            credentials.append(
                Credentials(
                    division=learner.division,
                    last_name=learner.last_name,
                    first_name=learner.first_name,
                    username=learner.user.username,
                    password=password,
                )
            )
    return credentials, skipped


def credentials_by_division(credentials):
    """[(division, [credentials sorted by name]), …] sorted by division: one download per class."""
    divisions = {}
    for item in sorted(credentials, key=lambda c: (c.division, c.last_name, c.first_name, c.username)):
        divisions.setdefault(item.division, []).append(item)
    return sorted(divisions.items())


@sensitive_variables("rows")
def credentials_csv(rows):
    """The CSV of one class, as the campaign export writes its files: BOM, `;`, formulas neutralised."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralize_formula(cell) for cell in CSV_HEADER])
    for row in rows:
        writer.writerow(
            [
                neutralize_formula(cell)
                for cell in (row.division, row.last_name, row.first_name, row.username, row.password)
            ]
        )
    return BOM + output.getvalue()


def credentials_filename(division, today=None):
    today = today or timezone.localdate()
    safe = "".join(char if char.isalnum() else "-" for char in division).strip("-")[:60] or "sans-classe"
    return f"Identifiants-{safe}-{today:%Y-%m-%d}.csv"
