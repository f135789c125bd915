"""Demo data: a lycée, its teachers, 6 classes of pupils with varied Pix profiles, and campaigns."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Membership, Organization, User
from campaigns.models import Campaign, Participation
from campaigns.services import campaign_archive, campaign_counters_rebuild, campaign_create
from profiles.framework import COMPETENCE_CODES
from profiles.models import Competence, CompetencePix
from profiles.services import snapshot_create
from students.certificability import organization_certificability_refresh
from students.demo import DEMO_SIECLE_FILE
from students.models import OrganizationLearner
from students.names import normalize_name

UAI = "0061234A"
TEACHER_PASSWORD = "pixorga-prof"
PUPIL_PASSWORD = "pixorga-eleve"
ADMIN_PASSWORD = "pixorga-admin"
DIVISIONS = ["2NDE1", "2NDE2", "1G1", "1G2", "TG1", "TG2"]
PUPILS_PER_DIVISION = 30
TEACHERS = [
    ("prof.admin", "Nadia", "Benali", Membership.Role.ADMIN),
    ("prof.martin", "Julien", "Martin", Membership.Role.MEMBER),
    ("prof.durand", "Claire", "Durand", Membership.Role.MEMBER),
]
FIRST_NAMES = [
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Emma",
    "Nathan",
    "Inès",
    "Louis",
    "Manon",
    "Enzo",
    "Jade",
    "Mathis",
    "Camille",
    "Théo",
    "Sarah",
    "Noah",
    "Lina",
    "Adam",
    "Zoé",
    "Gabriel",
    "Anaïs",
    "Rayan",
    "Clara",
    "Maël",
    "Louise",
    "Yanis",
    "Océane",
    "Sacha",
    "Éloïse",
    "Timéo",
    "Maëlys",
    "Ibrahim",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "N'Diaye",
]


class Command(BaseCommand):
    help = "Installe les données de démonstration (sans effet si elles sont déjà là)."

    @scopes_disabled()
    def handle(self, *args, **options):
        if Organization.objects.filter(external_id=UAI).exists():
            self.stdout.write("Les données de démonstration sont déjà installées.")
        else:
            with transaction.atomic():
                self._seed()
            self.stdout.write(self.style.SUCCESS("Données de démonstration installées."))
        self._print_logins()

    def _seed(self):
        rng = random.Random(2021)
        self.now = now = timezone.now()
        lycee = Organization.objects.create(
            name="Lycée Jean Moulin", type=Organization.Type.SCO, external_id=UAI
        )
        college = Organization.objects.create(
            name="Collège Marie Curie", type=Organization.Type.SCO, external_id="0061999Z"
        )
        teacher_hash = make_password(TEACHER_PASSWORD)
        teachers = []
        for username, first_name, last_name, role in TEACHERS:
            teacher = User.objects.create(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@lycee-jean-moulin.example",
                password=teacher_hash,
            )
            Membership.objects.create(organization=lycee, user=teacher, role=role)
            teachers.append(teacher)
        Membership.objects.create(organization=college, user=teachers[0], role=Membership.Role.ADMIN)
        User.objects.create_superuser("admin", "admin@pixorga.example", ADMIN_PASSWORD)

        pupils = self._pupils(lycee, rng)
        self._profiles(pupils, rng)
        admin, martin, _ = teachers
        collection = campaign_create(
            organization=lycee,
            creator=admin,
            owner=martin,
            name="Collecte des profils au 23.09.21",
            multiple_sendings=True,
            custom_landing_page_text="Envoyez votre profil avant les vacances : il servira à inscrire les "
            "élèves certifiables à la session de certification de décembre.",
        )
        self._sendings(collection, pupils, rng, start=now - datetime.timedelta(days=10), days=9, share=0.85)
        archived = campaign_create(organization=lycee, creator=martin, name="Collecte de rentrée 2024")
        self._sendings(archived, pupils[:60], rng, start=now - datetime.timedelta(days=400), days=5, share=1)
        campaign_archive(campaign=archived, user=martin)
        campaign_create(
            organization=lycee,
            creator=teachers[2],
            name="Collecte Terminales — numéro d'élève",
            external_id_label="numéro d'élève",
            external_id_type=Campaign.ExternalIdType.STRING,
        )
        campaign_create(organization=college, creator=admin, name="Collecte 3e")
        organization_certificability_refresh(organization_id=lycee.pk, now=now)

    def _pupils(self, organization, rng):
        pupil_hash = make_password(PUPIL_PASSWORD)
        pupils = []
        usernames = set()
        for division_index, division in enumerate(DIVISIONS):
            for index in range(PUPILS_PER_DIVISION):
                first_name = FIRST_NAMES[(index + division_index * 7) % len(FIRST_NAMES)]
                last_name = LAST_NAMES[(index * 3 + division_index * 11) % len(LAST_NAMES)]
                birthdate = datetime.date(2009 - division_index // 2, 1, 1) + datetime.timedelta(
                    days=rng.randrange(365)
                )
                username = f"{_ascii(first_name)}.{_ascii(last_name)}{birthdate:%d%m}"
                while username in usernames:
                    username += "b"
                usernames.add(username)
                user = User.objects.create(
                    username=username, first_name=first_name, last_name=last_name, password=pupil_hash
                )
                OrganizationLearner.objects.create(
                    organization=organization,
                    user=user,
                    first_name=first_name,
                    last_name=last_name,
                    birthdate=birthdate,
                    # FIRST_NAMES alternate girls' and boys' names; students/demo's SIECLE file agrees.
                    sex="F" if FIRST_NAMES.index(first_name) % 2 == 0 else "M",
                    division=division,
                    national_student_id=f"{division_index:02d}{index:04d}{rng.randrange(10**4):04d}XY",
                )
                pupils.append(user)
        # A pupil of the roster who has no account yet: sign up, then reconcile with these details.
        OrganizationLearner.objects.create(
            organization=organization,
            first_name="Camille",
            last_name="Lefèvre-Roux",
            birthdate=datetime.date(2008, 5, 14),
            sex="F",
            division="2NDE1",
            national_student_id="0700000001ZZ",
        )
        return pupils

    def _profiles(self, pupils, rng):
        """Varied profiles: about a quarter not certifiable, with the boundary cases a teacher meets."""
        competences = Competence.objects.in_bulk(field_name="code")
        rows = []
        for index, user in enumerate(pupils):
            if index == 0:
                pix = {}  # an empty profile
            elif index == 1:
                pix = dict.fromkeys(
                    COMPETENCE_CODES[:4], 12
                )  # exactly 4 competences at level 1: not certifiable
            elif index == 2:
                pix = dict.fromkeys(COMPETENCE_CODES[:5], 8)  # exactly 5: certifiable, just
            elif rng.random() < 0.25:
                count = rng.randrange(0, 5)
                pix = {code: rng.randrange(8, 24) for code in rng.sample(COMPETENCE_CODES, count)}
                pix.update(
                    {code: rng.randrange(1, 8) for code in rng.sample(COMPETENCE_CODES, 3) if code not in pix}
                )
            else:
                count = rng.randrange(5, 17)
                # The full range of today's Pix, up to level 7, and a little beyond the cap now and then.
                pix = {code: rng.randrange(8, 60) for code in rng.sample(COMPETENCE_CODES, count)}
            rows += [
                CompetencePix(user=user, competence=competences[code], pix=value)
                for code, value in pix.items()
            ]
        CompetencePix.objects.bulk_create(rows)

    def _sendings(self, campaign, pupils, rng, *, start, days, share):
        learners = {
            learner.user_id: learner for learner in OrganizationLearner.objects.filter(user__in=pupils)
        }
        live_pix = {}
        for user_id, code, pix in CompetencePix.objects.filter(user__in=pupils).values_list(
            "user_id", "competence__code", "pix"
        ):
            live_pix.setdefault(user_id, {})[code] = pix
        # The demo pupil of the README (the first pupil of TG2) is left for the visitor to send.
        keep_free = pupils[-PUPILS_PER_DIVISION].pk
        for user in pupils:
            if user.pk == keep_free or rng.random() > share:
                continue
            sent_at = start + datetime.timedelta(days=rng.randrange(days), hours=rng.randrange(8, 17))
            current = live_pix.get(user.pk, {})
            previous = None
            if campaign.multiple_sendings and rng.random() < 0.15:
                earlier = {code: pix // 2 for code, pix in current.items()}
                previous = self._send(campaign, user, learners[user.pk], earlier, sent_at, previous=None)
                sent_at += datetime.timedelta(days=rng.randrange(1, 3))
            self._send(campaign, user, learners[user.pk], current, min(sent_at, self.now), previous=previous)
        joined = set(campaign.participations.values_list("user_id", flat=True))
        pending = [user for user in pupils if user.pk not in joined and user.pk != keep_free]
        for user in pending[:5]:
            Participation.objects.create(campaign=campaign, user=user, learner=learners[user.pk])
        campaign_counters_rebuild(campaign=campaign)

    @staticmethod
    def _send(campaign, user, learner, pix, sent_at, *, previous):
        """A sending dated in the past, recorded as participation_send_profile records one today."""
        snapshot = snapshot_create(user=user, pix_by_competence=pix, taken_at=sent_at)
        if previous is not None:
            previous.is_improved = True
            previous.is_latest_sending = False
            previous.save(update_fields=["is_improved", "is_latest_sending"])
        participation = Participation.objects.create(
            campaign=campaign,
            user=user,
            learner=learner,
            status=Participation.Status.SHARED,
            shared_at=sent_at,
            snapshot=snapshot,
            pix_score=snapshot.pix_score,
            is_certifiable=snapshot.is_certifiable,
            certifiable_competences_count=snapshot.certifiable_competences_count,
            sending_number=previous.sending_number + 1 if previous else 1,
            previous_pix_score=previous.pix_score if previous else None,
            is_latest_sending=True,
        )
        # Joined a little before sending, for a believable Activité chart.
        Participation.objects.filter(pk=participation.pk).update(
            created_at=sent_at - datetime.timedelta(minutes=10)
        )
        return participation

    def _print_logins(self):
        write = self.stdout.write
        lycee = Organization.objects.get(external_id=UAI)
        free_pupil = (
            OrganizationLearner.objects.filter(organization=lycee, division=DIVISIONS[-1], user__isnull=False)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        write("")
        write("Comptes de démonstration (http://127.0.0.1:8000/) :")
        write(f"  Administration Django : admin / {ADMIN_PASSWORD}  (http://127.0.0.1:8000/admin/)")
        for username, _, _, role in TEACHERS:
            write(f"  Enseignant ({role}) : {username} / {TEACHER_PASSWORD}")
        write(f"  Élève qui n'a pas encore envoyé son profil : {free_pupil.user.username} / {PUPIL_PASSWORD}")
        write(f"  Tous les élèves : prenom.nomJJMM / {PUPIL_PASSWORD}")
        write("  Élève sans compte, à rattacher après inscription : Camille Lefèvre-Roux, née le 14/05/2008")
        write(f"  Base élèves SIECLE à importer (Élèves, Importer) : students/demo/{DEMO_SIECLE_FILE.name}")
        collection = (
            Campaign.objects.filter(organization=lycee, archived_at__isnull=True)
            .order_by("created_at")
            .first()
        )
        write(f"  Code de la campagne de collecte : {collection.code}")
        write(f"  Lien direct : http://127.0.0.1:8000/campagnes/{collection.code}")


def _ascii(name):
    return normalize_name(name).replace(" ", "")
