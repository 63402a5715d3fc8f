"""Migration helpers."""

from django.db import migrations


def refuse_existing_violations(app_label, operations):
    """A ``RunPython`` to put before ``operations``: if existing rows break one of the
    constraints they add, the migration stops and lists them (model, id, rule), instead
    of failing on the first one or, worse, changing data. Nothing is modified."""
    from django.db import models

    def check(apps, schema_editor):
        problems = []
        for operation in operations:
            if not isinstance(operation, migrations.AddConstraint):
                continue
            model = apps.get_model(app_label, operation.model_name)
            constraint = operation.constraint
            if isinstance(constraint, models.CheckConstraint):
                bad = list(model.objects.exclude(constraint.condition).values_list("pk", flat=True)[:50])
            elif isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                rows = (
                    model.objects.filter(constraint.condition)
                    if constraint.condition
                    else model.objects.all()
                )
                duplicates = (
                    rows.values(*constraint.fields).annotate(n=models.Count("pk")).filter(n__gt=1)
                    .values_list(*constraint.fields)
                )  # fmt: skip
                bad = [
                    pk
                    for values in duplicates[:50]
                    for pk in rows.filter(**dict(zip(constraint.fields, values, strict=True))).values_list(
                        "pk", flat=True
                    )
                ]
            else:
                continue
            if bad:
                message = constraint.get_violation_error_message()
                problems.append(f"- {model._meta.verbose_name} n° {', '.join(map(str, bad))} : {message}")
        if problems:
            raise RuntimeError(
                "Migration arrêtée : des données existantes enfreignent les nouvelles règles. Corrigez ces "
                "lignes dans l'administration, puis relancez « migrate » (rien n'a été modifié) :\n"
                + "\n".join(problems)
            )

    return migrations.RunPython(check, migrations.RunPython.noop, elidable=False)
