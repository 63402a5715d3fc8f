"""The two forms a visitor fills in without an account, and their spam defences, which
need no third party (the organisation's own form, behind its signed link, is the last
one here: ``OrganisationUpdateForm``):

- a honeypot field that people never see (and bots fill in);
- a minimum fill time: the form carries a signed timestamp; sent in under 3 seconds, or
  with a timestamp that is missing, tampered with or older than a day, it is refused;
- a limit per address (5 an hour), counted in the shared cache;
- bounded lengths on every field.
"""

from django import forms
from django.core import signing
from django.core.cache import cache

from actors.models import Organisation, Sector
from actors.validators import validate_postcode, validate_rna, validate_siren, validate_siret
from common.collation import french

from . import updates
from .models import Kind, Suggestion

MINIMUM_SECONDS = 3
MAXIMUM_AGE = 24 * 3600
PER_ADDRESS_PER_HOUR = 5
SIGNER_SALT = "suggestions.formulaire"


def form_stamp():
    return signing.TimestampSigner(salt=SIGNER_SALT).sign("formulaire")


class Defended(forms.ModelForm):
    # Never shown to people (hidden by CSS and out of the tab order); bots fill it in.
    website_confirmation = forms.CharField(
        label="Ne remplissez pas ce champ", required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip
    # Not « required »: a missing stamp is refused by clean() with a message people can act
    # on (« rechargez la page »), not a « champ obligatoire » they cannot see.
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, client_address="", **kwargs):
        super().__init__(*args, **kwargs)
        self.client_address = client_address

    @property
    def fresh_stamp(self):
        """The stamp to put in the page: signed now, also when the form comes back with
        an error (an expired one would otherwise be refused forever)."""
        return form_stamp()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website_confirmation"):
            raise forms.ValidationError("Votre envoi n'a pas pu être accepté.", code="honeypot")
        signer = signing.TimestampSigner(salt=SIGNER_SALT)
        try:
            signer.unsign(cleaned.get("stamp", ""), max_age=MAXIMUM_AGE)
        except signing.BadSignature:  # tampered, missing or more than a day old
            raise forms.ValidationError(
                "Ce formulaire a expiré : rechargez la page et envoyez-le de nouveau.", code="stamp"
            ) from None
        try:
            signer.unsign(cleaned["stamp"], max_age=MINIMUM_SECONDS)
        except signing.SignatureExpired:
            return cleaned  # filled in at a person's pace
        raise forms.ValidationError(
            "Envoi trop rapide : prenez le temps de relire, puis envoyez de nouveau.", code="too-fast"
        )

    def check_rate(self):
        """True when this address may still send (and counts this one)."""
        key = f"contributions:{self.client_address}"
        cache.add(key, 0, 3600)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, 3600)
            count = 1
        return count <= PER_ADDRESS_PER_HOUR


class CorrectionForm(Defended):
    class Meta:
        model = Suggestion
        fields = ["what_is_wrong", "proposed_text", "sender_email"]
        labels = {
            "what_is_wrong": "Qu'est-ce qui est inexact ou manque ?",
            "proposed_text": "Ce que vous proposez à la place (facultatif)",
            "sender_email": "Votre e-mail, pour recevoir la réponse (facultatif)",
        }
        help_texts = {"sender_email": "Il ne sert qu'à vous répondre ; il n'est jamais publié."}
        widgets = {
            "what_is_wrong": forms.Textarea(attrs={"rows": 4}),
            "proposed_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what_is_wrong"].required = True


class ListingForm(Defended):
    sectors = forms.ModelMultipleChoiceField(
        label="Secteurs (facultatif)", queryset=Sector.objects.order_by(*french("name")), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Suggestion
        fields = ["name", "identifier", "street_address", "postcode", "commune_name", "contact_email", "email_public",
                  "contact_phone", "phone_public", "sectors", "territories_text", "description", "sender_email"]  # fmt: skip
        labels = {
            "name": "Nom de l'organisation",
            "identifier": "SIREN, SIRET ou numéro RNA",
            "street_address": "Adresse (numéro et voie)",
            "commune_name": "Commune",
            "contact_email": "E-mail de l'organisation (facultatif)",
            "contact_phone": "Téléphone de l'organisation (facultatif)",
            "email_public": "L'organisation accepte que cet e-mail soit publié dans l'annuaire",
            "phone_public": "L'organisation accepte que ce téléphone soit publié dans l'annuaire",
            "territories_text": "Où intervient-elle ? (communes, département, toute la région…)",
            "description": "Présentation : ce qu'elle fait, pour qui",
            "sender_email": "Votre e-mail, pour recevoir la réponse",
        }
        help_texts = {
            "identifier": "9 chiffres (SIREN), 14 chiffres (SIRET) ou W suivi de 9 chiffres (RNA).",
            "contact_email": "Publié seulement si l'organisation l'accepte (case ci-dessous), après vérification "
            "par l'équipe.",
            "phone_public": "Sans cette case, il ne sert qu'à l'équipe de la CRESS.",
            "email_public": "Sans cette case, il ne sert qu'à l'équipe de la CRESS.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "identifier", "commune_name", "description", "sender_email"):
            self.fields[name].required = True

    def clean_identifier(self):
        value = self.cleaned_data["identifier"].replace(" ", "").upper()
        validator = {9: validate_siren, 14: validate_siret, 10: validate_rna}.get(len(value))
        if validator is None:
            raise forms.ValidationError(
                "Indiquez un SIREN (9 chiffres), un SIRET (14 chiffres) ou un RNA (W + 9 chiffres)."
            )
        validator(value)
        return value

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if value:
            validate_postcode(value)
        return value

    def save(self, commit=True):
        suggestion = super().save(commit=False)
        suggestion.kind = Kind.LISTING
        if commit:
            suggestion.save()
            self.save_m2m()
        return suggestion


CONSENT_CHOICES = [("oui", "Oui, il peut être publié"), ("non", "Non, il sert seulement à l'équipe de la CRESS")]


def consent_field(detail):
    return forms.TypedChoiceField(
        label=f"Si vous indiquez {detail} : peut-il être publié dans l'annuaire ?", choices=CONSENT_CHOICES,
        coerce=lambda value: value == "oui", empty_value=None, required=False, widget=forms.RadioSelect,
    )  # fmt: skip


class OrganisationUpdateForm(forms.ModelForm):
    """An organisation's public fields, filled in with its record, behind its signed link
    (no spam defence needed: the link is the key). It is never saved: what it changes
    becomes a proposal (``proposal``, ``updates.py``) an editor accepts."""

    summary = forms.CharField(label="Présentation courte (une phrase, pour les listes)", max_length=300,
                              required=False)  # fmt: skip
    description = forms.CharField(label="Présentation", widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
                                  required=False)  # fmt: skip
    # A text input that asks for an address (the site's form styles are those of text inputs).
    website = forms.URLField(label="Site web", max_length=200, required=False, assume_scheme="https",
                             widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
                             help_text="Par exemple « https://www.exemple.fr ».")  # fmt: skip
    commune = forms.CharField(label="Commune", max_length=120, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
                              help_text="Son nom ; le code postal ci-dessus départage les communes de même nom.")  # fmt: skip
    opening_hours = forms.CharField(label="Horaires d'accueil", widget=forms.Textarea(attrs={"rows": 3}),
                                    max_length=500, required=False,
                                    help_text="En clair : « du lundi au vendredi, 9 h – 17 h ».")  # fmt: skip
    phone_public = consent_field("un téléphone")
    email_public = consent_field("un e-mail")
    sender_email = forms.EmailField(label="Votre e-mail, pour recevoir la réponse", required=False,
                                    help_text="Nous vous écrivons quand l'équipe a relu vos modifications ; "
                                    "il n'est pas publié.")  # fmt: skip

    class Meta:
        model = Organisation
        fields = updates.FIELDS
        labels = {
            "name": "Nom de l'organisation",
            "acronym": "Sigle (facultatif)",
            "street_address": "Adresse (numéro et voie)",
            "postcode": "Code postal",
            "phone": "Téléphone",
            "email": "E-mail de l'organisation",
        }
        help_texts = {"street_address": "Par exemple « 12 rue des Lilas, bâtiment B »."}
        # What each field is, for browsers and assistive technologies (WCAG 1.3.5).
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.instance
        self.fields["name"].required = True
        self.initial["commune"] = record.commune.name if record.commune_id else ""
        for detail, consent in updates.CONSENTS.items():
            self.initial[consent] = ("oui" if getattr(record, consent) else "non") if getattr(record, detail) else None
        self.initial["sender_email"] = record.email
        self.original = updates.values(record)  # before the form writes into it

    def clean(self):
        cleaned = super().clean()
        commune, problem = updates.commune_named(cleaned.get("commune", ""), cleaned.get("postcode", ""))
        if problem:
            self.add_error("commune", problem)
        cleaned["commune"] = commune
        for detail, consent in updates.CONSENTS.items():
            if not cleaned.get(detail):
                cleaned[consent] = False
            elif cleaned.get(consent) is None and detail not in self.errors:
                self.add_error(consent, "Dites si ce contact peut être publié dans l'annuaire.")
        return cleaned

    @property
    def changes(self):
        """The proposal: the changed fields, old → new (``updates.proposal``)."""
        return updates.proposal(self.original, self.cleaned_data)
