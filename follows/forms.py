"""« Me prévenir »: an e-mail address and a frequency, with the contribution forms' spam
defences (a honeypot, a minimum fill time, a limit per address: ``suggestions.forms``)."""

from django import forms

from suggestions.forms import Defended

from .models import Frequency, SavedSearch


class FollowForm(Defended):
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=600)

    class Meta:
        model = SavedSearch
        fields = ["email", "frequency"]
        labels = {"email": "Votre e-mail", "frequency": "Recevoir les nouveautés"}
        help_texts = {
            "email": "Il ne sert qu'à vous envoyer ces nouveautés ; vous pourrez arrêter d'un clic dans chaque message.",
        }
        widgets = {"frequency": forms.RadioSelect, "email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].choices = Frequency.choices
        self.fields["frequency"].initial = Frequency.WEEKLY
