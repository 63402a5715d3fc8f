#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        sys.exit(
            "Django n'est pas installé pour ce Python (" + sys.executable + ").\n"
            "Installez le projet avec « make run » (ou « make install »), puis lancez les commandes avec "
            "l'environnement virtuel : .venv/bin/python manage.py " + " ".join(sys.argv[1:])
        )
    from common import localdb, localenv

    localenv.load()  # after `make run`: debug, this checkout's key and database (local.env)
    localdb.ensure()  # without DATABASE_URL: the private PostgreSQL of this checkout
    from django.core.exceptions import ImproperlyConfigured

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:  # a missing variable: its message, not a traceback
        sys.exit(f"Configuration incomplète : {error}")


if __name__ == "__main__":
    main()
