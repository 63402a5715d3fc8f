"""Forms sent back with errors, as the State's design system (DSFR) shows them:
``{% load form_errors %}``.

- ``{% error_title_prefix form %}`` writes « Erreur : » when the form has errors: put it
  first in the page's ``{% block title %}``, so the title says it before anything else.
- ``{% error_summary_entries form as entries %}`` lists what the summary at the top of the
  form shows (``templates/includes/_error_summary.html``): one entry per field in error,
  with the id of the control to reach, and the errors that belong to no field.

Both take one form or several (a formset, or a list or tuple of forms, as separate
arguments or in one), and count the same errors: the title and the summary never disagree.
"""

from dataclasses import dataclass

from django import template

register = template.Library()


@dataclass(frozen=True)
class ErrorEntry:
    message: str
    label: str = ""
    target: str = ""  # the id of the control the link leads to; empty: an error of no field


def _forms(values):
    for value in values:
        if value is None or isinstance(value, str):
            continue
        if hasattr(value, "non_form_errors"):  # a formset: its own errors, then its forms'
            yield value
            yield from _forms(value.forms)
        elif hasattr(value, "non_field_errors"):
            yield value
        else:
            yield from _forms(value)


def _target(field):
    """The control a summary link leads to: the input itself, or for a group of boxes
    (rendered in a fieldset, whose label has no ``for``) its first box."""
    if field.id_for_label:
        return field.id_for_label
    for subwidget in field.subwidgets:
        if subwidget.id_for_label:
            return subwidget.id_for_label
    return field.auto_id or ""


def entries(*values):
    found = []
    for form in _forms(values):
        if hasattr(form, "non_form_errors"):
            found += [ErrorEntry(str(message)) for message in form.non_form_errors()]
            continue
        if not form.is_bound:
            continue
        found += [ErrorEntry(str(message)) for message in form.non_field_errors()]
        for field in form:
            if not field.errors:
                continue
            message = " ".join(str(message) for message in field.errors)
            if field.is_hidden:  # nothing to reach on the page: said, not linked
                found.append(ErrorEntry(message))
            else:
                found.append(ErrorEntry(message, label=str(field.label), target=_target(field)))
    return found


@register.simple_tag
def error_summary_entries(*forms):
    return entries(*forms)


@register.simple_tag
def error_title_prefix(*forms):
    return "Erreur : " if entries(*forms) else ""
