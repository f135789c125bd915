from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Identifiant ou adresse e-mail",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": "L'identifiant ou le mot de passe est incorrect. Vérifiez votre saisie.",
        "inactive": "Ce compte est désactivé.",
    }


class SignupForm(UserCreationForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse e-mail. Connectez-vous.")
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"].lower()
        if commit:
            user.save()
        return user


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text=(
            "Pour le reconnaître plus tard, par exemple «\u00a0Tableur des 2nde\u00a0» ou "
            "«\u00a0Script ENT\u00a0»."
        ),
        error_messages={"required": "Donnez un nom au jeton."},
    )
    read_only = forms.BooleanField(
        label="Lecture seule\u00a0: ce jeton pourra consulter campagnes et résultats, pas les modifier",
        required=False,
    )
