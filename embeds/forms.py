"""How an embed is shown (« vue », « nombre »): read by the builder (/integrer/) and by
the embedded pages. What it shows is the actor list's filter set (``actors.filters``)."""

from django import forms

DEFAULT_ITEMS = 10
MAX_ITEMS = 50
VIEWS = [("liste", "Une liste"), ("carte", "Une carte, avec la liste en dessous")]


class EmbedOptions(forms.Form):
    vue = forms.ChoiceField(label="Présentation", choices=VIEWS, required=False, widget=forms.RadioSelect)
    nombre = forms.IntegerField(
        label="Nombre d'acteurs affichés", min_value=1, max_value=MAX_ITEMS, required=False,
        help_text=f"De 1 à {MAX_ITEMS} ; un lien mène aux autres sur l'annuaire.",
        error_messages={
            "invalid": "Le nombre d'acteurs s'écrit en chiffres (par exemple « 10 »).",
            "min_value": "Affichez au moins 1 acteur.",
            "max_value": f"Affichez au plus {MAX_ITEMS} acteurs.",
        },
    )  # fmt: skip

    def __init__(self, data):
        super().__init__({key: data.get(key, "") for key in ("vue", "nombre")})

    def value(self, name):
        """The cleaned value, else the default (an embed with an odd ``nombre`` still shows)."""
        self.is_valid()  # a field in error is left out of ``cleaned_data``
        value = self.cleaned_data.get(name)
        return value if value not in (None, "") else {"vue": "liste", "nombre": DEFAULT_ITEMS}[name]
