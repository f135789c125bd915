from pathlib import PurePath

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from .roster import ALLOWED_EXTENSIONS
from .roster_rows import MAX_UPLOAD_SIZE, MAX_UPLOAD_SIZE_LABEL


class ReconciliationForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    birthdate = forms.DateField(
        label="Date de naissance",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date de naissance valide, par exemple 21/03/2009."},
    )


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier de la base élèves",
        help_text=(
            "Export SIECLE « ExportXML_ElevesSansAdresses » (.zip ou .xml), fichier FREGATA ou fichier "
            f"CSV (.csv) ; {MAX_UPLOAD_SIZE_LABEL} au plus."
        ),
        error_messages={
            "required": "Choisissez le fichier de la base élèves à importer.",
            "empty": "Le fichier est vide : choisissez l'export de la base élèves.",
            "invalid": "Le fichier n'a pas pu être lu : choisissez-le de nouveau.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if PurePath(uploaded.name).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                "Ce type de fichier n'est pas accepté : choisissez un fichier .zip ou .xml (SIECLE) ou .csv."
            )
        if uploaded.size > MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale de {MAX_UPLOAD_SIZE_LABEL} : vérifiez que vous avez "
                "choisi l'export des élèves sans adresses."
            )
        return uploaded


class ChoosePasswordForm(SetPasswordForm):
    """The first login of a pupil whose account the school generated: he replaces the temporary password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password2"].label = "Confirmez le nouveau mot de passe"
