from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from .invitations import MAX_EMAILS_AT_ONCE, parse_email_list
from .models import Membership


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
        return self.cleaned_data["email"].strip()

    def _get_validation_exclusions(self):
        # The model's unique e-mail constraint would tell whether an account has this address: the form
        # leaves it to accounts.signup, which answers by e-mail so that no one's account is revealed.
        return {*super()._get_validation_exclusions(), "email"}

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"].lower()
        if commit:
            user.save()
        return user


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label="Adresses e-mail",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=(
            "Une ou plusieurs adresses, séparées par des virgules, des espaces ou des retours à la ligne. "
            f"{MAX_EMAILS_AT_ONCE} adresses au plus à la fois."
        ),
        error_messages={
            "required": "Saisissez au moins une adresse e-mail.",
            "max_length": "Cette liste est trop longue\u00a0: envoyez les invitations en plusieurs fois.",
        },
    )
    role = forms.ChoiceField(
        label="Rôle",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un rôle.",
            "invalid_choice": "Choisissez le rôle Administrateur ou Membre.",
        },
    )

    def clean_emails(self):
        emails, malformed = parse_email_list(self.cleaned_data["emails"])
        if malformed:
            if len(malformed) == 1:
                raise forms.ValidationError(
                    f"Cette adresse n'est pas valide\u00a0: {malformed[0]}. Corrigez-la ou retirez-la, "
                    "aucune invitation n'a été envoyée."
                )
            raise forms.ValidationError(
                f"Ces {len(malformed)} adresses ne sont pas valides\u00a0: {', '.join(malformed)}. "
                "Corrigez-les ou retirez-les, aucune invitation n'a été envoyée."
            )
        if not emails:
            raise forms.ValidationError("Saisissez au moins une adresse e-mail.")
        if len(emails) > MAX_EMAILS_AT_ONCE:
            raise forms.ValidationError(
                f"Vous avez saisi {len(emails)} adresses\u00a0: envoyez-en {MAX_EMAILS_AT_ONCE} au plus "
                "à la fois."
            )
        return emails


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Membership.Role.choices)


class InvitationSignupForm(forms.Form):
    """The account of an invited person: his login is the invited address, so only his name and a
    password are asked."""

    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": "Saisissez votre prénom."},
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": "Saisissez votre nom."},
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Au moins 8 caractères, pas seulement des chiffres, ni trop courant, ni trop proche de votre nom "
            "ou de votre adresse e-mail."
        ),
        error_messages={"required": "Choisissez un mot de passe."},
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


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
