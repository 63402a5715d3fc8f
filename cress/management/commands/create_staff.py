import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common.staff import ADMINISTRATORS, EDITORS

GROUPS = {"editeur": EDITORS, "administrateur": ADMINISTRATORS}


class Command(BaseCommand):
    help = (
        "Crée (ou met à jour) un compte de l'équipe, sans question : identifiant, e-mail, groupe "
        "« editeur » ou « administrateur ». Le mot de passe vient de DJANGO_STAFF_PASSWORD ; sans elle, "
        "un mot de passe est tiré au hasard et affiché une seule fois. Agit sur la base de DATABASE_URL "
        "(le PostgreSQL privé sans elle)."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifiant")
        parser.add_argument("--email", default="")
        parser.add_argument("--groupe", choices=sorted(GROUPS), default="editeur")

    @transaction.atomic
    def handle(self, *args, identifiant, email, groupe, **options):
        password = os.environ.get("DJANGO_STAFF_PASSWORD") or secrets.token_urlsafe(12)
        User = get_user_model()
        user = User.objects.filter(username=identifiant).first() or User(username=identifiant)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Mot de passe refusé : " + " ".join(error.messages)) from error
        try:
            group = Group.objects.get(name=GROUPS[groupe])
        except Group.DoesNotExist:
            raise CommandError("Groupes de l'équipe absents : lancez d'abord « manage.py migrate ».") from None
        created = user.pk is None
        user.email = email or user.email
        user.is_staff = True
        user.is_superuser = groupe == "administrateur"
        user.set_password(password)
        user.save()
        user.groups.set([group])
        verb = "créé" if created else "mis à jour"
        self.stdout.write(self.style.SUCCESS(f"Compte « {identifiant} » {verb}, groupe « {group.name} »."))
        if not os.environ.get("DJANGO_STAFF_PASSWORD"):
            self.stdout.write(f"Mot de passe (affiché une seule fois) : {password}")
