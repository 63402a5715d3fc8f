"""An organisation keeps its own record: from its signed link (``verification.py``) it
sends its public fields changed, and they arrive in moderation as a proposal, field by
field — what the record held when it was proposed (« old ») and what the organisation
wants (« new ») — of which an editor applies all or some, in one save.

A contact detail keeps its publication consent: the consent (``phone_public``,
``email_public``) is a field of the proposal of its own, and applying the detail applies
its consent with it, so that a number is never published on the agreement given for
another one."""

from django.utils.formats import date_format

from actors.models import Organisation
from territories.models import Territory
from territories.resolver import UNKNOWN_COMMUNE, Resolver, ambiguous_message

# The public fields an organisation may change, in the order of its page.
FIELDS = [
    "name",
    "acronym",
    "summary",
    "description",
    "website",
    "street_address",
    "postcode",
    "commune",
    "opening_hours",
    "phone",
    "phone_public",
    "email",
    "email_public",
]
# A contact detail → the field that stores the organisation's consent to publish it.
CONSENTS = {"phone": "phone_public", "email": "email_public"}


def label(field):
    """« téléphone », « l'organisation accepte que son téléphone soit publié »."""
    return str(Organisation._meta.get_field(field).verbose_name)


def value_of(organisation, field):
    """The field's value as the proposal stores it (JSON): the commune by its id."""
    if field == "commune":
        return organisation.commune_id
    return getattr(organisation, field)


def text_of(field, value):
    """How a stored value reads in the moderation screen and the e-mails."""
    if value in (None, ""):
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if field == "commune":
        commune = Territory.objects.filter(pk=value).only("name", "code").first()
        return f"{commune.name} ({commune.code})" if commune else f"commune n° {value}"
    return str(value)


def values(organisation):
    """{field: value} of the public fields of ``organisation``, as a proposal stores them."""
    return {field: value_of(organisation, field) for field in FIELDS}


def proposal(before, cleaned):
    """{field: {"old", "new", "old_text", "new_text"}} for the fields ``cleaned`` (a form's
    cleaned data, the commune a Territory) changes from ``before`` (``values``); {} when
    none."""
    changes = {}
    for field in FIELDS:
        if field not in cleaned:
            continue
        new = cleaned[field]
        if field == "commune":
            new = new.pk if new is not None else None
        old = before[field]
        if old != new:
            changes[field] = {"old": old, "new": new, "old_text": text_of(field, old), "new_text": text_of(field, new)}
    return changes


def commune_named(name, postcode=""):
    """(the commune today ``name`` names, None) — narrowed by ``postcode`` when several
    share the name —, or (None, a French message) when none or several do."""
    name = (name or "").strip()
    if not name:
        return None, ""
    communes = Resolver().communes(name)
    if postcode and len(communes) > 1:
        served = [commune for commune in communes if postcode in commune.postcodes.split()]
        communes = served or communes
    if len(communes) == 1:
        return communes[0], ""
    if not communes:
        return None, UNKNOWN_COMMUNE
    return None, ambiguous_message(name, communes)


def with_consents(fields, changes):
    """``fields`` and the consents of the contact details among them (see the module)."""
    chosen = [field for field in FIELDS if field in fields and field in changes]
    for detail, consent in CONSENTS.items():
        if detail in chosen and consent in changes and consent not in chosen:
            chosen.append(consent)
    return [field for field in FIELDS if field in chosen]


def apply(suggestion, fields, user):
    """Applies the chosen ``fields`` of ``suggestion``'s proposal to its organisation, in
    one save whose history names the contribution. Returns (the fields applied, French
    warnings for those the record had changed meanwhile: the proposal wins, as the
    editor chose it with the record's value in front of them)."""
    changes = suggestion.proposal
    chosen = with_consents(fields, changes)
    organisation = Organisation.objects.select_for_update().get(pk=suggestion.organisation_id)
    warnings = []
    for field in chosen:
        now = value_of(organisation, field)
        if now != changes[field]["old"]:
            warnings.append(
                f"« {label(field)} » avait changé sur la fiche depuis la proposition du "
                f"{date_format(suggestion.created_at, 'j F Y')} (« {changes[field]['old_text']} » alors, "
                f"« {text_of(field, now)} » avant l'application) : la valeur proposée l'a remplacée."
            )
        new = changes[field]["new"]
        if field == "commune":
            organisation.commune = Territory.objects.get(pk=new) if new is not None else None
        else:
            setattr(organisation, field, new)
    organisation._change_reason = f"{suggestion.reference} (mise à jour par l'organisation)"
    organisation._history_user = user
    organisation.save()
    return chosen, warnings


def changed_meanwhile(suggestion):
    """{field: the record's value now, as text} for the proposed fields the record no
    longer holds as they were when proposed (shown in the moderation screen)."""
    organisation = suggestion.organisation
    return {
        field: text_of(field, value_of(organisation, field))
        for field, change in suggestion.proposal.items()
        if value_of(organisation, field) != change["old"]
    }
