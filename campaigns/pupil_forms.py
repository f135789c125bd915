from django import forms

from .codes import looks_like_code, normalize_code
from .models import Campaign


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code de la campagne",
        max_length=30,
        help_text="9 caractères, par exemple MPPHCD934. Les minuscules, espaces et tirets sont acceptés.",
        error_messages={"required": "Saisissez le code que votre enseignant vous a donné."},
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if not looks_like_code(code):
            raise forms.ValidationError(
                "Ce code n'a pas le bon format : il compte 6 lettres puis 3 chiffres, par exemple MPPHCD934."
            )
        return code


class ExternalIdForm(forms.Form):
    """The external id the organizer asks for: free text, or an e-mail address checked as it is typed."""

    participant_external_id = forms.CharField(max_length=255)

    def __init__(self, *args, label, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == Campaign.ExternalIdType.EMAIL:
            self.fields["participant_external_id"] = forms.EmailField(
                max_length=255,
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                error_messages={
                    "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
                },
            )
        field = self.fields["participant_external_id"]
        field.label = label
        field.error_messages["required"] = f"Veuillez renseigner votre {label}."

    def clean_participant_external_id(self):
        return self.cleaned_data["participant_external_id"].strip()
