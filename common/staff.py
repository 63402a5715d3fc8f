"""The two staff groups of the back-office (their permissions: actions/staff_groups.py)."""

ADMINISTRATORS = "Administrateurs"
EDITORS = "Éditeurs"


def is_administrator(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists())
