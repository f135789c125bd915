from django import forms
from django.contrib.auth import get_user_model

from .models import Campaign


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class CampaignForm(forms.ModelForm):
    """Create or edit a campaign. The objective (type) is chosen once, at creation."""

    owner = OwnerChoiceField(queryset=get_user_model().objects.none(), label="Propriétaire de la campagne")
    multiple_sendings = forms.TypedChoiceField(
        label="Le participant peut-il envoyer plusieurs fois son profil ?",
        choices=[(False, "Non"), (True, "Oui")],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        initial=False,
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "type",
            "owner",
            "multiple_sendings",
            "external_id_label",
            "custom_landing_page_text",
        ]
        widgets = {
            "type": forms.RadioSelect,
            "custom_landing_page_text": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "type": "Quel est l'objectif de votre campagne ?",
            "external_id_label": "Libellé de l'identifiant externe (facultatif)",
            "custom_landing_page_text": "Texte de la page d'accueil (facultatif)",
        }
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
        if self.instance.pk:
            # Type and sending rule are what pupils answered to: they are fixed once the campaign exists.
            del self.fields["type"]
            del self.fields["multiple_sendings"]

    def clean_type(self):
        campaign_type = self.cleaned_data["type"]
        if campaign_type != Campaign.Type.PROFILES_COLLECTION:
            raise forms.ValidationError(
                "Les campagnes d'évaluation ne sont pas encore disponibles : choisissez « Collecter les "
                "profils Pix des participants »."
            )
        return campaign_type
