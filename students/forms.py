from django import forms


class ReconciliationForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    birthdate = forms.DateField(
        label="Date de naissance",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date de naissance valide, par exemple 21/03/2009."},
    )
