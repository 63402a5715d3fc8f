"""``DATABASE_REPLICA_URL``: a ``replica`` database with the primary's options, and the
router; unset, nothing of it (no replica, no router, no cookie)."""

import json

from django.test import Client

from common import db_router
from tests.cress.test_settings import run
from tests.suggestions.test_contributions import correction

PRINT_DATABASES = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS, "
    "'sticky': s.DATABASE_REPLICA_STICKY_SECONDS}, default=str))"
)


def test_a_replica_address_adds_the_replica_and_the_router():
    result = run(
        PRINT_DATABASES,
        DJANGO_SECRET_KEY="k" * 60,
        DATABASE_URL="postgres://annuaire:secret@primaire.example:5432/annuaire",
        DATABASE_REPLICA_URL="postgres://annuaire:secret@replique.example:5433/annuaire?connect_timeout=2",
    )
    values = json.loads(result.stdout)
    primary, replica = values["databases"]["default"], values["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replique.example", 5433, "annuaire")
    assert primary["OPTIONS"] == {"options": "-c jit=off"}
    assert replica["OPTIONS"] == {"options": "-c jit=off", "connect_timeout": 2}  # the primary's, and its own
    assert replica["CONN_MAX_AGE"] == primary["CONN_MAX_AGE"] and replica["CONN_HEALTH_CHECKS"] is True
    assert replica["TEST"]["MIRROR"] == "default"  # the test suite has no replica to create
    assert values["routers"] == ["common.db_router.ReplicaRouter"]
    assert values["sticky"] == 10


def test_a_replica_address_must_be_postgresql():
    result = run(PRINT_DATABASES, DJANGO_SECRET_KEY="k" * 60, DATABASE_REPLICA_URL="mysql://u:p@127.0.0.1/x")
    assert result.returncode != 0 and not result.stdout
    assert "DATABASE_REPLICA_URL doit désigner une base PostgreSQL" in result.stderr


def test_without_a_replica_nothing_changes(directory, settings):
    """No replica database, no router, no « recently wrote » cookie after a form."""
    result = run(PRINT_DATABASES, DJANGO_SECRET_KEY="k" * 60)
    values = json.loads(result.stdout)
    assert list(values["databases"]) == ["default"] and values["routers"] == []
    assert "replica" not in settings.DATABASES and settings.DATABASE_ROUTERS == []
    sent = Client().post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.22.1.1")
    assert sent.status_code == 302 and db_router.STICKY_COOKIE not in sent.cookies
