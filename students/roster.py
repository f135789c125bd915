"""The roster import: every rule is checked on the whole file first, then the file is applied all or
nothing. New pupils are created, known ones (matched by INE) updated, and those absent from the file
disabled; their participations and sendings stay.

The rules, as Pix applies them to SIECLE:
- a pupil without INE, with an exit date (DATE_SORTIE), or without a class (or in « Inactifs ») is skipped;
- the file is refused when an INE appears twice, or a pupil lacks his sex or a valid birth date.
The CSV files add: every pupil needs his INE and his class (there is no reason to skip a line there).
"""

import datetime
import logging
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from .models import OrganizationLearner, RosterImport
from .names import normalize_name
from .roster_csv import read_csv
from .roster_rows import RosterFileError
from .siecle import read_siecle

logger = logging.getLogger(__name__)

SIECLE_EXTENSIONS = (".xml", ".zip")
CSV_EXTENSIONS = (".csv",)
ALLOWED_EXTENSIONS = SIECLE_EXTENSIONS + CSV_EXTENSIONS
# An import that has shown no progress for this long was lost with its worker: it no longer blocks.
STALE_AFTER = datetime.timedelta(hours=1)
MAX_STORED_ERRORS = 10_000
BATCH_SIZE = 1000

_ASCII_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_INE = re.compile(r"[A-Z0-9]{1,20}")
INACTIVE_DIVISION = normalize_name("Inactifs")
SEXES = {
    "1": OrganizationLearner.Sex.MALE,
    "M": OrganizationLearner.Sex.MALE,
    "H": OrganizationLearner.Sex.MALE,
    "2": OrganizationLearner.Sex.FEMALE,
    "F": OrganizationLearner.Sex.FEMALE,
}
NAME_MAX_LENGTH = 150
DIVISION_MAX_LENGTH = 60

ALREADY_RUNNING = (
    "Un import de la base élèves est déjà en cours pour votre établissement. Attendez qu'il se termine "
    "avant d'en déposer un autre."
)
NO_PUPIL = (
    "Le fichier ne contient aucun élève à importer : il a été refusé pour ne désactiver aucun élève. "
    "Vérifiez que vous avez exporté les élèves de l'année en cours."
)
INTERRUPTED = (
    "L'import a été interrompu avant la fin. Aucun élève n'a été modifié : déposez le fichier de nouveau."
)
UNEXPECTED = "Une erreur inattendue a interrompu l'import. Aucun élève n'a été modifié : réessayez plus tard."


class RosterImportRunningError(Exception):
    def __init__(self):
        super().__init__(ALREADY_RUNNING)


@dataclass(slots=True)
class RosterPupil:
    national_student_id: str
    last_name: str
    first_name: str
    birthdate: datetime.date
    division: str
    sex: str


@dataclass
class Validation:
    pupils: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [{"where": …, "messages": […]}], in file order
    skipped: int = 0


def parse_birthdate(text):
    """(date, None) or (None, the French reason). Only ASCII digits: « ３１/０１/２００９ » is refused."""
    if not text:
        return None, "la date de naissance est manquante"
    match = _ASCII_DATE.fullmatch(text)
    if match is None:
        return None, f"la date de naissance « {text} » n'est pas au format jj/mm/aaaa"
    day, month, year = (int(part) for part in match.groups())
    try:
        birthdate = datetime.date(year, month, day)
    except ValueError:
        return None, f"la date de naissance « {text} » n'existe pas"
    if not 1900 <= year <= timezone.localdate().year:
        return None, f"la date de naissance « {text} » n'est pas plausible"
    return birthdate, None


def _is_skipped(raw, *, siecle):
    if normalize_name(raw.division) == INACTIVE_DIVISION:
        return True
    return siecle and (not raw.national_student_id or bool(raw.exit_date) or not raw.division)


def _pupil_errors(raw):
    messages = []
    ine = raw.national_student_id
    if not ine:
        messages.append("l'INE est manquant")
    elif not _INE.fullmatch(ine):
        messages.append(f"l'INE « {ine} » n'est pas valide (20 lettres ou chiffres au plus)")
    for text, label in ((raw.last_name, "le nom"), (raw.first_name, "le prénom")):
        if not text:
            messages.append(f"{label} est manquant")
        elif len(text) > NAME_MAX_LENGTH:
            messages.append(f"{label} dépasse {NAME_MAX_LENGTH} caractères")
    birthdate, reason = parse_birthdate(raw.birthdate)
    if reason:
        messages.append(reason)
    sex = ""
    if raw.sex is not None:
        sex = SEXES.get(raw.sex.upper(), "")
        if not raw.sex:
            messages.append("le code sexe est manquant")
        elif not sex:
            messages.append(f"le code sexe « {raw.sex} » n'est pas valide (1 ou 2, M ou F)")
    if not raw.division:
        messages.append("la classe est manquante")
    elif len(raw.division) > DIVISION_MAX_LENGTH:
        messages.append(f"la classe dépasse {DIVISION_MAX_LENGTH} caractères")
    if messages:
        return None, messages
    pupil = RosterPupil(ine, raw.last_name, raw.first_name, birthdate, raw.division, sex)
    return pupil, []


def roster_validate(raw_pupils, *, siecle):
    """Check every pupil of the file; `siecle` applies SIECLE's rules for skipping pupils."""
    validation = Validation()
    errors_by_index = {}
    places_by_ine = {}
    for index, raw in enumerate(raw_pupils):
        if _is_skipped(raw, siecle=siecle):
            validation.skipped += 1
            continue
        if raw.national_student_id:
            places_by_ine.setdefault(raw.national_student_id, []).append((index, raw.where))
        pupil, messages = _pupil_errors(raw)
        if messages:
            errors_by_index[index] = {"where": raw.where, "messages": messages}
        else:
            validation.pupils.append(pupil)
    for ine, places in places_by_ine.items():
        if len(places) < 2:
            continue
        where = ", ".join(place for _, place in places) if not siecle else f"{len(places)} élèves"
        for index, place in places:
            entry = errors_by_index.setdefault(index, {"where": place, "messages": []})
            entry["messages"].append(f"l'INE {ine} apparaît plusieurs fois dans le fichier ({where})")
    validation.errors = [errors_by_index[index] for index in sorted(errors_by_index)]
    for entry in validation.errors:
        entry["messages"] = [message[0].upper() + message[1:] + "." for message in entry["messages"]]
    return validation


def read_roster_file(fileobj, *, file_name, uai):
    """(format, Validation) of the roster in `fileobj`; raises RosterFileError for an unreadable file."""
    if PurePath(file_name).suffix.lower() in CSV_EXTENSIONS:
        file_format, raw_pupils = read_csv(fileobj)
        return file_format, roster_validate(raw_pupils, siecle=False)
    return RosterImport.Format.SIECLE, roster_validate(read_siecle(fileobj, uai=uai), siecle=True)


def roster_apply(*, organization, pupils, now=None):
    """Write a validated roster: (created, updated, disabled). The caller holds the transaction."""
    now = now or timezone.now()
    learners = list(OrganizationLearner.objects.filter(organization=organization))
    by_ine = {
        learner.national_student_id.upper(): learner for learner in learners if learner.national_student_id
    }
    seen = set()
    new = []
    changes = defaultdict(list)  # the changed (field, value) pairs -> the learners that take them
    for pupil in pupils:
        values = {
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "normalized_first_name": normalize_name(pupil.first_name),
            "normalized_last_name": normalize_name(pupil.last_name),
            "birthdate": pupil.birthdate,
            "division": pupil.division,
            "sex": pupil.sex,
            "is_disabled": False,
        }
        learner = by_ine.get(pupil.national_student_id)
        if learner is None:
            new.append(
                OrganizationLearner(
                    organization=organization, national_student_id=pupil.national_student_id, **values
                )
            )
            continue
        seen.add(learner.pk)
        changed = tuple((name, value) for name, value in values.items() if getattr(learner, name) != value)
        if changed:
            changes[changed].append(learner.pk)
    OrganizationLearner.objects.bulk_create(new, batch_size=BATCH_SIZE)
    # One UPDATE per distinct change rather than per pupil: in September most pupils only change class,
    # so a lycée's 3,000 changes are a hundred statements (bulk_update's CASE is ten times slower).
    for changed, learner_ids in changes.items():
        for start in range(0, len(learner_ids), BATCH_SIZE):
            OrganizationLearner.objects.filter(pk__in=learner_ids[start : start + BATCH_SIZE]).update(
                updated_at=now, **dict(changed)
            )
    leaving = [learner.pk for learner in learners if not learner.is_disabled and learner.pk not in seen]
    for start in range(0, len(leaving), BATCH_SIZE):
        OrganizationLearner.objects.filter(pk__in=leaving[start : start + BATCH_SIZE]).update(
            is_disabled=True, updated_at=now
        )
    return len(new), len(seen), len(leaving)


def roster_import_expire_stale(*, organization):
    """Mark as failed the imports whose worker vanished, so that they no longer block the next one."""
    return RosterImport.objects.filter(
        organization=organization,
        status__in=RosterImport.RUNNING,
        updated_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        status=RosterImport.Status.FAILED,
        errors=[{"where": "", "messages": [INTERRUPTED]}],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def roster_import_start(*, organization, user, uploaded_file):
    """Keep the file where the worker reads it and queue the import once the request commits."""
    from .tasks import roster_import_run as run_task

    roster_import_expire_stale(organization=organization)
    extension = PurePath(uploaded_file.name).suffix.lower()
    roster_import = RosterImport(
        organization=organization, created_by=user, file_name=PurePath(uploaded_file.name).name[:255]
    )
    with transaction.atomic():
        roster_import.file.save(f"{uuid.uuid4().hex}{extension}", uploaded_file, save=False)
        try:
            with transaction.atomic():
                roster_import.save()
        except IntegrityError:
            roster_import.file.delete(save=False)
            raise RosterImportRunningError() from None
        transaction.on_commit(lambda: run_task.delay(roster_import.pk))
    return roster_import


def _claim(roster_import_id):
    """Move a queued import to « validation en cours »; False when another run has it (or had it)."""
    stale = timezone.now() - STALE_AFTER
    claimable = RosterImport.objects.filter(pk=roster_import_id, status=RosterImport.Status.PENDING) | (
        RosterImport.objects.filter(
            pk=roster_import_id, status__in=RosterImport.RUNNING, updated_at__lt=stale
        )
    )
    return bool(claimable.update(status=RosterImport.Status.VALIDATING, updated_at=timezone.now()))


def _finish(roster_import_id, *, status, **fields):
    RosterImport.objects.filter(pk=roster_import_id).update(
        status=status, finished_at=timezone.now(), updated_at=timezone.now(), **fields
    )


def roster_import_run(*, roster_import_id):
    """The background job: validate the stored file, then apply it all or nothing. Idempotent: an import
    already finished, or being run elsewhere, is left alone."""
    with scopes_disabled():
        roster_import = (
            RosterImport.objects.select_related("organization").filter(pk=roster_import_id).first()
        )
    if roster_import is None:
        return
    organization = roster_import.organization
    with scope(organization=organization.pk):
        if not _claim(roster_import.pk):
            return
        try:
            _run(roster_import, organization)
        except Exception:
            logger.exception("roster import %s failed", roster_import.pk)
            _finish(
                roster_import.pk,
                status=RosterImport.Status.FAILED,
                errors=[{"where": "", "messages": [UNEXPECTED]}],
            )
            raise
        finally:
            if roster_import.file:
                roster_import.file.delete(save=False)
                RosterImport.objects.filter(pk=roster_import.pk).update(file="")


def _run(roster_import, organization):
    failed = RosterImport.Status.FAILED
    try:
        with default_storage.open(roster_import.file.name, "rb") as stored:
            file_format, validation = read_roster_file(
                getattr(stored, "file", stored),
                file_name=roster_import.file_name,
                uai=organization.external_id,
            )
    except RosterFileError as error:
        entry = {"where": "", "messages": [error.message]}
        if error.detail:
            entry["detail"] = error.detail
        _finish(roster_import.pk, status=failed, errors=[entry])
        return
    counts = {"format": file_format, "skipped_count": validation.skipped}
    if validation.errors:
        _finish(roster_import.pk, status=failed, errors=validation.errors[:MAX_STORED_ERRORS], **counts)
        return
    if not validation.pupils:
        _finish(roster_import.pk, status=failed, errors=[{"where": "", "messages": [NO_PUPIL]}], **counts)
        return
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.IMPORTING, updated_at=timezone.now(), **counts
    )
    with transaction.atomic():
        created, updated, disabled = roster_apply(organization=organization, pupils=validation.pupils)
        _finish(
            roster_import.pk,
            status=RosterImport.Status.DONE,
            created_count=created,
            updated_count=updated,
            disabled_count=disabled,
        )
