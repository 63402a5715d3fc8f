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
    from common import localdb

    localdb.ensure()  # without DATABASE_URL: the private PostgreSQL of this checkout
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
