from django import forms
from django.contrib.auth import get_user_model

from evaluation.selectors import topics_with_challenges
from pixorga.inputs import ClassesField, IdModelMultipleChoiceField

from .models import Campaign

YES_NO = [("non", "Non"), ("oui", "Oui")]
SENSITIVE_DATA_WARNING = (
    "Ne demandez jamais le numéro de sécurité sociale (NIR) ni aucune donnée sensible : santé, origine, "
    "opinions, religion… Un numéro d'élève ou une adresse e-mail de l'établissement suffit."
)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def _yes_no_field(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        initial="non",
        help_text=help_text,
    )


class TopicChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return topic.name


class CampaignForm(forms.ModelForm):
    """Create or edit a campaign. The objective, the target profile of an assessment, the sending rule and
    the external id are what pupils answered to: they are chosen once, at creation, and locked afterwards.

    The target profile is chosen in the bank: whole competences (all their topics) and single topics, at
    least one; the union of both is the target."""

    owner = OwnerChoiceField(queryset=get_user_model().objects.none(), label="Propriétaire de la campagne")
    competences = forms.MultipleChoiceField(
        label="Compétences entières",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choisissez parmi les compétences proposées."},
    )
    sujets = TopicChoiceField(
        label="Sujets",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choisissez parmi les sujets proposés.",
            "invalid_pk_value": "Choisissez parmi les sujets proposés.",
        },
    )
    multiple_sendings = _yes_no_field("Le participant peut-il envoyer plusieurs fois son profil ?")
    asks_external_id = _yes_no_field(
        "Souhaitez-vous demander un identifiant externe aux participants ?",
        help_text="Par exemple un numéro d'élève, demandé à chaque participant quand il rejoint la campagne.",
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "type",
            "owner",
            "multiple_sendings",
            "asks_external_id",
            "external_id_type",
            "external_id_label",
            "custom_landing_page_text",
        ]
        widgets = {
            "type": forms.RadioSelect,
            "external_id_type": forms.RadioSelect,
            "custom_landing_page_text": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "type": "Quel est l'objectif de votre campagne ?",
            "external_id_type": "Type de l'identifiant externe",
            "external_id_label": "Libellé de l'identifiant externe",
            "custom_landing_page_text": "Texte de la page d'accueil (facultatif)",
        }
        help_texts = {"external_id_label": "Par exemple « numéro d'élève » ou « adresse e-mail de l'ENT »."}
        error_messages = {"name": {"required": "Veuillez donner un nom à la campagne."}}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__organization=organization)
            .order_by("last_name", "first_name")
        )
        self.fields["owner"].error_messages["invalid_choice"] = (
            "Choisissez un membre de votre organisation comme propriétaire."
        )
        self.fields["type"].error_messages["required"] = "Veuillez choisir l'objectif de la campagne."
        self.fields["external_id_type"].choices = Campaign.ExternalIdType.choices
        self.fields["external_id_type"].required = False
        if self.instance.pk:
            for locked in (
                "type",
                "competences",
                "sujets",
                "multiple_sendings",
                "asks_external_id",
                "external_id_type",
                "external_id_label",
            ):
                del self.fields[locked]
        else:
            self.targetable = list(topics_with_challenges())
            self.fields["sujets"].queryset = topics_with_challenges()
            self.fields["competences"].choices = [
                (code, code) for code in dict.fromkeys(topic.competence.code for topic in self.targetable)
            ]
            self.initial.setdefault("multiple_sendings", "non")
            self.initial.setdefault("asks_external_id", "non")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        cleaned["target_topics"] = self._target_topics(cleaned)
        if cleaned.get("asks_external_id"):
            if not cleaned.get("external_id_type"):
                self.add_error("external_id_type", "Choisissez le type de l'identifiant externe.")
            if not cleaned.get("external_id_label", "").strip():
                self.add_error("external_id_label", "Donnez un libellé à l'identifiant externe.")
        else:
            cleaned["external_id_type"] = ""
            cleaned["external_id_label"] = ""
        return cleaned

    def save(self, commit=True):
        """Edits write only their own columns: a full save would write back the campaign's counters as
        read, losing the sendings counted meanwhile."""
        campaign = super().save(commit=False)
        if commit:
            campaign.save(update_fields=list(self.fields) if campaign.pk else None)
        return campaign

    def _target_topics(self, cleaned):
        if cleaned.get("type") != Campaign.Type.ASSESSMENT:
            return []
        codes = set(cleaned.get("competences") or ())
        chosen = {topic.pk for topic in cleaned.get("sujets") or ()}
        topics = [topic for topic in self.targetable if topic.competence.code in codes or topic.pk in chosen]
        if not topics and "competences" not in self.errors and "sujets" not in self.errors:
            self.add_error("sujets", "Choisissez au moins une compétence ou un sujet à évaluer.")
        return topics

    @property
    def target_errors(self):
        return [*self.errors.get("competences", ()), *self.errors.get("sujets", ())]

    @property
    def target_areas(self):
        """The bank as the target profile's checkboxes show it: areas, their competences, their topics."""
        codes = set(self["competences"].value() or ())
        chosen = {str(pk) for pk in self["sujets"].value() or ()}
        areas = {}
        for topic in self.targetable:
            competence = topic.competence
            area = areas.setdefault(competence.area, {})
            row = area.setdefault(
                competence, {"competence": competence, "checked": competence.code in codes, "topics": []}
            )
            row["topics"].append({"topic": topic, "checked": str(topic.pk) in chosen})
        return [(area, list(competences.values())) for area, competences in areas.items()]

    @property
    def campaign_fields(self):
        """What the services need: the model's fields and the target profile, without the questions
        that lead to them."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("asks_external_id", "competences", "sujets")
        }


class CampaignDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je comprends que la campagne, ses participations et les profils reçus seront supprimés "
        "définitivement.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )


class ParticipationDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme la suppression de cette participation.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )


class RelaunchFilterForm(forms.Form):
    """Whom to chase: the groups, the classes, and whether they were already chased (`GET`)."""

    groupe = forms.MultipleChoiceField(
        label="Élèves à relancer", widget=forms.CheckboxSelectMultiple, required=False
    )
    classe = ClassesField(label="Classes", widget=forms.CheckboxSelectMultiple, required=False)
    relance = forms.ChoiceField(
        label="Relances précédentes",
        choices=[("", "Tous"), ("jamais", "Jamais relancés"), ("relance", "Déjà relancés")],
        required=False,
    )

    def __init__(self, *args, groups, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].choices = groups
        self.divisions = divisions
        self.fields["classe"].classes = frozenset(divisions)

    def chosen(self, default_groups):
        """The valid choices; an empty or invalid choice of groups means every group."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        relaunched = {"jamais": False, "relance": True}.get(data.get("relance"))
        return (data.get("groupe") or default_groups, data.get("classe") or [], relaunched)


class RelaunchForm(forms.Form):
    """The relaunch itself (`POST`): the ticked pupils, the message, and how to send it — or, for the
    non-certifiable pupils of a collection, an assessment to create on the competences they lack."""

    ACTIONS = [("message", "Message à copier"), ("fiches", "Fiches à imprimer"), ("email", "E-mail")]
    ASSESSMENT = "evaluation"

    eleve = IdModelMultipleChoiceField(
        label="Élèves",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Sélectionnez au moins un élève à relancer.",
            "invalid_choice": (
                "Un des élèves sélectionnés ne fait plus partie de cette liste : rechargez la page."
            ),
            "invalid_pk_value": "Sélection d'élèves invalide : rechargez la page.",
        },
    )
    message = forms.CharField(
        label="Message aux élèves",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=5000,
        help_text="Modifiez-le si besoin avant de le copier ou de l'envoyer.",
        error_messages={"required": "Le message ne peut pas être vide."},
    )
    action = forms.ChoiceField(
        choices=ACTIONS,
        error_messages={
            "required": "Choisissez comment relancer.",
            "invalid_choice": "Choisissez comment relancer.",
        },
    )

    def __init__(self, *args, candidates, with_assessment=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eleve"].queryset = candidates
        if with_assessment:
            self.fields["action"].choices = [
                *self.ACTIONS,
                (self.ASSESSMENT, "Campagne d'évaluation sur les compétences manquantes"),
            ]
            # The new campaign's own message is written once it exists.
            self.fields["message"].required = self.data.get("action") != self.ASSESSMENT
