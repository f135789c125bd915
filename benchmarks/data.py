"""The benchmark's data, written once with PostgreSQL's COPY and reused by later runs.

- Organization A, a large lycée: a roster of 50,000 pupils in classes of about 30, a campaign of 500
  participants (its first classes) and one of 50,000 (all of them). Both ask for an external id and accept
  multiple sendings: about 75 % of the participants sent, some of them 2 or 3 times (a few came back after
  their last sending and are pending again), the others are pending; a few were removed by the teacher.
- Organization B: a roster of 500 pupils and 10 campaigns; organization C: a roster of 6,000 pupils and
  1,000 campaigns (some archived, half of them owned by the teacher who logs in), about 65,000
  participations in all.
- Organization D: 300 pupils (and one more for the double-click test) with live Pix profiles and a
  campaign for the load test, emptied before each load run.

Rows are written table by table with COPY; a column this module does not know gets its field's default,
so that a new field with a default does not break the build (a new field without one says so). The
campaigns' counters and activity days are then recounted by campaigns.services, their one home.
"""

import json
import random
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Membership, Organization, User
from campaigns.codes import DIGITS, LETTERS
from campaigns.models import Campaign, Participation
from campaigns.services import campaign_counters_rebuild
from profiles.framework import COMPETENCE_CODES
from profiles.models import Competence, CompetencePix, ProfileSnapshot
from profiles.scoring import summarize_profile
from students.certificability import certificability_status
from students.models import OrganizationLearner
from students.names import normalize_name

# Raise it whenever the data below change: an older database is then rebuilt on the next run.
DATA_VERSION = 3
META_TABLE = "benchmark_dataset"
PASSWORD = "banc-d-essai"

LARGE_CAMPAIGN = 50_000
SMALL_CAMPAIGN = 500
SMALL_ROSTER = 500
MANY_CAMPAIGNS_ROSTER = 6_000
FEW_CAMPAIGNS = 10
MANY_CAMPAIGNS = 1_000
LOAD_PUPILS = 300
SENT_SHARE = 0.75
CAME_BACK_SHARE = 0.03
REMOVED_SHARE = 0.005
EXTERNAL_ID_LABEL = "Numéro d'élève"

# fmt: off
FIRST_NAMES = (
    "Adam", "Adèle", "Agathe", "Alexandre", "Alice", "Amélie", "Anaïs", "Antoine", "Arthur", "Axel",
    "Baptiste", "Camille", "Capucine", "Chloé", "Clément", "Clémence", "Élise", "Éloïse", "Emma", "Enzo",
    "Ethan", "Étienne", "Eva", "Gabriel", "Hugo", "Inès", "Jade", "Jean-Baptiste", "Jules", "Julia",
    "Juliette", "Kylian", "Léa", "Léna", "Léo", "Lina", "Lola", "Louis", "Louise", "Lucas", "Lucie", "Maël",
    "Manon", "Marie", "Marie-Lou", "Mathis", "Maxime", "Maëlys", "Mohamed", "Nathan", "Noah", "Noé",
    "Nolan", "Océane", "Paul", "Raphaël", "Rose", "Sacha", "Salomé", "Sarah", "Théo", "Thomas", "Timéo",
    "Yanis", "Yasmine", "Zoé", "Aïcha", "Bastien", "Céleste", "Diane", "Gaspard", "Héloïse", "Ibrahim",
    "Jeanne", "Lisa", "Margaux", "Mila", "Nina", "Oscar", "Pauline", "Quentin", "Romane", "Samuel",
    "Soline", "Tom", "Valentin", "Victor", "Wassim", "Yohan", "Zélie",
)
LAST_NAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure",
    "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
    "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
    "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer",
    "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
    "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
    "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier",
    "Sánchez", "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury",
    "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
    "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider",
    "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot",
    "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier",
    "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger",
    "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin", "Poulain",
    "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard",
    "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy", "Cordier", "Pichon",
    "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte", "N'Diaye", "Diallo",
    "Traoré", "Nguyen", "Benali", "Haddad", "Kaya", "Dos Santos", "Ben Ahmed", "D'Almeida", "Saint-Martin",
)
# fmt: on
LEVELS = ("2NDE", "1RE", "TLE")


@dataclass
class Dataset:
    """What the measures need to find in the data: logins, campaigns and the load test's pupils."""

    password: str
    teachers: dict  # "large" (organization A), "few" (B, 10 campaigns), "many" (C, 1,000), "load" (D)
    campaigns: dict  # "small", "large", "load": ids
    load_code: str
    load_pupils: list
    double_pupil: str


def dataset_or_reason():
    """The dataset of an earlier run, or None and why it must be built."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
        if cursor.fetchone()[0] is None:
            return None, "no data yet"
        cursor.execute(f"SELECT version, content FROM {META_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None, "no data yet"
    version, content = row
    if version != DATA_VERSION:
        return None, f"data of version {version}, this benchmark writes version {DATA_VERSION}"
    return Dataset(**json.loads(content)), ""


def build(*, log=print):
    """Write the whole dataset in one transaction, then let PostgreSQL gather its statistics."""
    started = time.perf_counter()
    builder = _Builder()
    with transaction.atomic():
        dataset = builder.generate()
        log(f"  generated {builder.summary()} in {time.perf_counter() - started:.0f} s")
        builder.write()
        log(f"  written in {time.perf_counter() - started:.0f} s")
        with scopes_disabled():
            for campaign in Campaign.objects.all():
                campaign_counters_rebuild(campaign=campaign)
        log(f"  counters of the campaigns recounted in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), builder.models()):
                cursor.execute(statement)
            cursor.execute(f"CREATE TABLE {META_TABLE} (version integer NOT NULL, content jsonb NOT NULL)")
            cursor.execute(
                f"INSERT INTO {META_TABLE} VALUES (%s, %s)",  # noqa: S608
                [DATA_VERSION, json.dumps(asdict(dataset))],
            )
    # A database in service has been vacuumed and analysed by autovacuum: plans and index-only scans
    # must be those of such a database, not of freshly loaded tables.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"Data built in {time.perf_counter() - started:.0f} s")
    return dataset


# Columns written for each model, in the order of the builder's tuples.
COLUMNS = {
    Organization: ("id", "name", "type", "external_id", "created_at"),
    User: ("id", "password", "username", "first_name", "last_name", "is_active", "date_joined"),
    Membership: ("id", "organization", "user", "role", "created_at"),
    OrganizationLearner: (
        "id",
        "organization",
        "user",
        "first_name",
        "last_name",
        "birthdate",
        "sex",
        "division",
        "national_student_id",
        "normalized_first_name",
        "normalized_last_name",
        "is_disabled",
        "created_at",
        "updated_at",
        "certificability",
        "certifiable_competences_count",
        "certificability_at",
        "certificability_source",
    ),
    Campaign: (
        "id",
        "organization",
        "type",
        "name",
        "code",
        "custom_landing_page_text",
        "external_id_label",
        "external_id_type",
        "multiple_sendings",
        "owner",
        "creator",
        "created_at",
        "archived_at",
        "archived_by",
    ),
    ProfileSnapshot: (
        "id",
        "user",
        "taken_at",
        "max_reachable_level",
        "competences",
        "pix_score",
        "certifiable_competences_count",
        "is_certifiable",
    ),
    Participation: (
        "id",
        "campaign",
        "user",
        "learner",
        "status",
        "participant_external_id",
        "created_at",
        "shared_at",
        "is_improved",
        "is_latest_sending",
        "snapshot",
        "pix_score",
        "is_certifiable",
        "certifiable_competences_count",
        "sending_number",
        "previous_pix_score",
        "deleted_at",
        "deleted_by",
    ),
    CompetencePix: ("id", "user", "competence", "pix", "updated_at"),
}


class _Builder:
    def __init__(self):
        self.rng = random.Random(50_000)
        self.now = timezone.now()
        self.password = make_password(PASSWORD)
        self.max_level = settings.PIX_MAX_REACHABLE_LEVEL
        self.rows = defaultdict(list)
        self.next_ids = {}
        self.codes = set()
        # The latest sending of each learner, (when, certifiable, count): his certificabilité in Élèves.
        self.latest = {}

    def models(self):
        return list(COLUMNS)

    def summary(self):
        return ", ".join(f"{len(self.rows[model]):,} {model._meta.verbose_name_plural}" for model in COLUMNS)

    def _id(self, model):
        if model not in self.next_ids:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
                self.next_ids[model] = cursor.fetchone()[0] + 1
        value = self.next_ids[model]
        self.next_ids[model] += 1
        return value

    def _ago(self, days):
        return self.now - timedelta(days=days)

    # The world ------------------------------------------------------------------------------------------

    def generate(self):
        opened = self._ago(40)

        lycee = self.organization("Lycée international du Banc d'essai", "0759901A")
        teacher_a = self.teacher(lycee, "bench.prof.lycee", "Anne", "Besson")
        roster_a = self.roster(lycee, LARGE_CAMPAIGN, prefix="bench.a")
        campaigns = {}
        for key, size in (("small", SMALL_CAMPAIGN), ("large", LARGE_CAMPAIGN)):
            campaigns[key] = self.campaign(
                lycee,
                teacher_a,
                f"Collecte des profils — {size:,} participants".replace(",", "\u202f"),
                opened,
                multiple_sendings=True,
                external_id_label=EXTERNAL_ID_LABEL,
            )
            self.participants(
                campaigns[key], teacher_a, roster_a[:size], opened, external_ids=True, multiple=True
            )

        college = self.organization("Collège des Dix Campagnes", "0759902B")
        teacher_b = self.teacher(college, "bench.prof.college", "Bruno", "Carré")
        roster_b = self.roster(college, SMALL_ROSTER, prefix="bench.b")
        self.campaign_history(college, roster_b, FEW_CAMPAIGNS, [teacher_b])

        cite = self.organization("Cité scolaire des Mille Campagnes", "0759903C")
        teacher_c = self.teacher(cite, "bench.prof.cite", "Claire", "Dumas")
        colleagues = [
            self.teacher(
                cite,
                f"bench.prof.cite{i}",
                self.rng.choice(FIRST_NAMES),
                self.rng.choice(LAST_NAMES),
                role=Membership.Role.MEMBER,
            )
            for i in range(2, 11)
        ]
        roster_c = self.roster(cite, MANY_CAMPAIGNS_ROSTER, prefix="bench.c")
        # Half of them are the logged-in teacher's, so that « Mes campagnes » is large too.
        self.campaign_history(cite, roster_c, MANY_CAMPAIGNS, [teacher_c] * 9 + colleagues)

        charge = self.organization("Collège de la Charge", "0759904D")
        teacher_d = self.teacher(charge, "bench.prof.charge", "David", "Faure")
        load_pupils = [f"bench.charge.{i:03d}" for i in range(LOAD_PUPILS)]
        double_pupil = "bench.charge.double"
        roster_d = self.roster(
            charge, LOAD_PUPILS + 1, prefix="bench.charge", usernames=[*load_pupils, double_pupil]
        )
        self.live_profiles([user for _, user, _ in roster_d])
        campaigns["load"] = self.campaign(
            charge, teacher_d, "Charge : 300 élèves en une minute", self._ago(1), multiple_sendings=True
        )
        return Dataset(
            password=PASSWORD,
            teachers={
                "large": "bench.prof.lycee",
                "few": "bench.prof.college",
                "many": "bench.prof.cite",
                "load": "bench.prof.charge",
            },
            campaigns=campaigns,
            load_code=self.rows[Campaign][-1][4],
            load_pupils=load_pupils,
            double_pupil=double_pupil,
        )

    def organization(self, name, uai):
        pk = self._id(Organization)
        self.rows[Organization].append((pk, name, Organization.Type.SCO, uai, self._ago(1500)))
        return pk

    def user(self, username, first_name, last_name):
        pk = self._id(User)
        self.rows[User].append((pk, self.password, username, first_name, last_name, True, self._ago(1200)))
        return pk

    def teacher(self, organization, username, first_name, last_name, role=Membership.Role.ADMIN):
        user = self.user(username, first_name, last_name)
        self.rows[Membership].append((self._id(Membership), organization, user, role, self._ago(1000)))
        return user

    def roster(self, organization, size, *, prefix, usernames=None):
        """`size` pupils in classes of 26 to 34, each with an account: [(learner, user, division), …]."""
        learners = []
        section = 0
        while len(learners) < size:
            section += 1
            division = f"{LEVELS[section % len(LEVELS)]} {section // len(LEVELS) + 1}"
            for _ in range(min(self.rng.randint(26, 34), size - len(learners))):
                index = len(learners)
                first_name, last_name = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                username = usernames[index] if usernames else f"{prefix}.{index}"
                user = self.user(username, first_name, last_name)
                pk = self._id(OrganizationLearner)
                birthdate = date(2007, 1, 1) + timedelta(days=self.rng.randrange(4 * 365))
                created = self._ago(self.rng.randrange(60, 900))
                self.rows[OrganizationLearner].append(
                    (
                        pk,
                        organization,
                        user,
                        first_name,
                        last_name,
                        birthdate,
                        self.rng.choice(("F", "M")),
                        division,
                        f"{pk:010d}{LETTERS[pk % len(LETTERS)]}",
                        normalize_name(first_name),
                        normalize_name(last_name),
                        False,
                        created,
                        created,
                    )
                )
                learners.append((pk, user, division))
        return learners

    def code(self):
        while True:
            code = "".join(self.rng.choice(LETTERS) for _ in range(6)) + "".join(
                self.rng.choice(DIGITS) for _ in range(3)
            )
            if code not in self.codes:
                self.codes.add(code)
                return code

    def campaign(
        self,
        organization,
        owner,
        name,
        created_at,
        *,
        multiple_sendings=False,
        external_id_label="",
        archived_at=None,
    ):
        pk = self._id(Campaign)
        self.rows[Campaign].append(
            (
                pk,
                organization,
                Campaign.Type.PROFILES_COLLECTION,
                name,
                self.code(),
                "",
                external_id_label,
                Campaign.ExternalIdType.STRING if external_id_label else "",
                multiple_sendings,
                owner,
                owner,
                created_at,
                archived_at,
                owner if archived_at else None,
            )
        )
        return pk

    def campaign_history(self, organization, roster, count, owners):
        """`count` campaigns over four years, each for one to three classes of the roster."""
        classes = defaultdict(list)
        for learner in roster:
            classes[learner[2]].append(learner)
        divisions = sorted(classes)
        for index in range(count):
            created = self._ago(self.rng.randrange(45, 4 * 365))
            chosen = self.rng.sample(divisions, self.rng.choices((1, 2, 3), weights=(25, 45, 30))[0])
            external_ids = self.rng.random() < 0.3
            multiple = self.rng.random() < 0.5
            archived = created + timedelta(days=40) if self.rng.random() < 0.2 else None
            pk = self.campaign(
                organization,
                owners[index % len(owners)],
                f"Collecte {' / '.join(chosen)} — {created:%m/%Y}",
                created,
                multiple_sendings=multiple,
                external_id_label=EXTERNAL_ID_LABEL if external_ids else "",
                archived_at=archived,
            )
            learners = [learner for division in chosen for learner in classes[division]]
            self.participants(
                pk,
                owners[index % len(owners)],
                learners,
                created,
                external_ids=external_ids,
                multiple=multiple,
            )

    def external_id(self):
        # A few ids as a spreadsheet would take for a formula: the export must neutralise them.
        sign = "-" if self.rng.random() < 0.002 else ""
        return f"{sign}{self.rng.randrange(10**7, 10**8)}"

    def participants(self, campaign, owner, learners, opened, *, external_ids, multiple):
        """About 75 % sent (some 2 or 3 times when the campaign allows it, a few came back after their last
        sending and are pending again), the others are pending; a few were removed by the teacher."""
        for learner, user, _ in learners:
            joined = opened + timedelta(seconds=self.rng.randrange(25 * 86400))
            external_id = self.external_id() if external_ids else ""
            removed = (
                (self.now - timedelta(days=1), owner) if self.rng.random() < REMOVED_SHARE else (None, None)
            )
            common = (campaign, user, learner)
            if self.rng.random() >= SENT_SHARE:
                self._participation(
                    *common, "TO_SHARE", external_id, joined, None, False, False, None, *removed
                )
                continue
            draw = self.rng.random()
            sendings = 3 if multiple and draw < 0.04 else 2 if multiple and draw < 0.16 else 1
            came_back = multiple and self.rng.random() < CAME_BACK_SHARE
            strength = self.rng.random()
            created = joined
            shared = joined + timedelta(seconds=self.rng.randrange(60, 3 * 86400))
            previous = None
            for number in range(1, sendings + 1):
                latest = number == sendings
                sending = (
                    number,
                    previous,
                    *self.snapshot(user, shared, strength * (0.7 + 0.3 * number / sendings)),
                )
                self._participation(
                    *common,
                    "SHARED",
                    external_id,
                    created,
                    shared,
                    not latest or came_back,
                    latest,
                    sending,
                    *removed,
                )
                previous = sending[3]
                created = shared + timedelta(days=self.rng.randrange(1, 5))
                shared = created + timedelta(seconds=self.rng.randrange(30, 600))
            if came_back:
                self._participation(
                    *common, "TO_SHARE", external_id, created, None, False, False, None, *removed
                )

    def _participation(
        self,
        campaign,
        user,
        learner,
        status,
        external_id,
        created,
        shared,
        improved,
        latest,
        sending,
        *removed,
    ):
        """One row; `sending` is (number, previous score, snapshot, score, certifiable, count) or None."""
        number, previous, snapshot, score, certifiable, count = sending or (None,) * 6
        if shared and not removed[0] and self.latest.get(learner, (shared,))[0] <= shared:
            self.latest[learner] = (shared, certifiable, count)
        self.rows[Participation].append(
            (
                self._id(Participation),
                campaign,
                user,
                learner,
                status,
                external_id,
                created,
                shared,
                improved,
                latest,
                snapshot,
                score,
                certifiable,
                count,
                number,
                previous,
                *removed,
            )
        )

    def pix_profile(self, strength):
        """Pix per competence: a stronger pupil works on more competences and earns more in each."""
        worked = 0.3 + 0.6 * strength
        ceiling = int(6 + 30 * strength)
        return {code: self.rng.randint(0, ceiling) for code in COMPETENCE_CODES if self.rng.random() < worked}

    def snapshot(self, user, taken_at, strength):
        """A frozen profile: (its id, score, certifiable, certifiable competences)."""
        summary = summarize_profile(self.pix_profile(strength), max_level=self.max_level)
        pk = self._id(ProfileSnapshot)
        competences = {code: {"pix": r.pix, "level": r.level} for code, r in summary.competences.items()}
        self.rows[ProfileSnapshot].append(
            (
                pk,
                user,
                taken_at,
                self.max_level,
                json.dumps(competences),
                summary.pix_score,
                summary.certifiable_competences_count,
                summary.is_certifiable,
            )
        )
        return pk, summary.pix_score, summary.is_certifiable, summary.certifiable_competences_count

    def live_profiles(self, users):
        competences = dict(Competence.objects.values_list("code", "pk"))
        for user in users:
            for code, pix in self.pix_profile(self.rng.random()).items():
                self.rows[CompetencePix].append(
                    (self._id(CompetencePix), user, competences[code], pix, self.now)
                )

    # Writing ---------------------------------------------------------------------------------------------

    def write(self):
        """COPY every table; a learner's certificabilité is that of his latest sending (as the sending
        service sets it), or not communicated."""
        unknown = (OrganizationLearner.Certificability.NOT_COMMUNICATED, None, None, "")
        self.rows[OrganizationLearner] = [
            (*row, *self._certificability(row[0], unknown)) for row in self.rows[OrganizationLearner]
        ]
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            for model, columns in COLUMNS.items():
                _copy(cursor, model, columns, self.rows[model], now=self.now)

    def _certificability(self, learner, unknown):
        if learner not in self.latest:
            return unknown
        shared, certifiable, count = self.latest[learner]
        source = OrganizationLearner.CertificabilitySource.SENDING
        return certificability_status(certifiable), count, shared, source


def _copy(cursor, model, columns, rows, *, now):
    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    extras = [
        field for field in meta.concrete_fields if field.name not in columns and not field.has_db_default()
    ]
    constants = tuple(field.get_db_prep_save(_default(model, field, now), connection) for field in extras)
    names = ", ".join(connection.ops.quote_name(field.column) for field in given + extras)
    with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row + constants)


def _default(model, field, now):
    if field.has_default() or (field.blank and field.empty_strings_allowed):
        return field.get_default()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.null:
        return None
    raise RuntimeError(
        f"{model.__name__}.{field.name} has no default: tell benchmarks/data.py what to write in it "
        "(COLUMNS and the builder), then raise DATA_VERSION."
    )
