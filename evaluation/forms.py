from django import forms

from pixorga.inputs import clean_text

from .models import Challenge

SHORT_ANSWER_MAX_LENGTH = 100
# The id of the statement on the question page: the answer's field is described by it.
STATEMENT_ID = "statement"


class AnswerForm(forms.Form):
    """The pupil's answer to one challenge: radio buttons, checkboxes or a text box, as its kind says.

    The choices are the proposals' numbers, so that nothing but the proposals themselves reaches the page.
    """

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        choices = [(str(number), text) for number, text in enumerate(challenge.proposals, start=1)]
        if challenge.kind == Challenge.Kind.SINGLE:
            field = forms.ChoiceField(
                label="Votre réponse",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choisissez une réponse, ou cliquez sur « Je passe ».",
                    "invalid_choice": "Choisissez une des réponses proposées.",
                },
            )
        elif challenge.kind == Challenge.Kind.MULTIPLE:
            field = forms.MultipleChoiceField(
                label="Vos réponses",
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": "Cochez au moins une réponse, ou cliquez sur « Je passe ».",
                    "invalid_choice": "Choisissez parmi les réponses proposées.",
                },
            )
        else:
            field = forms.CharField(
                label="Votre réponse",
                max_length=SHORT_ANSWER_MAX_LENGTH,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "spellcheck": "false", "aria-describedby": STATEMENT_ID}
                ),
                error_messages={
                    "required": "Écrivez votre réponse, ou cliquez sur « Je passe ».",
                    "max_length": "Votre réponse est trop longue : quelques mots suffisent.",
                },
            )
        self.fields["reponse"] = field

    def full_clean(self):
        super().full_clean()
        if "reponse" in self.errors:
            widget = self.fields["reponse"].widget
            described = [
                *widget.attrs.get("aria-describedby", "").split(),
                f"{self['reponse'].auto_id}-errors",
            ]
            widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})

    def clean_reponse(self):
        value = self.cleaned_data["reponse"]
        if self.challenge.kind == Challenge.Kind.SHORT:
            value = clean_text(value, max_length=SHORT_ANSWER_MAX_LENGTH)
            if not value:
                raise forms.ValidationError("Écrivez votre réponse, ou cliquez sur « Je passe ».")
            return value
        numbers = value if isinstance(value, list) else [value]
        return sorted(int(number) for number in numbers)
