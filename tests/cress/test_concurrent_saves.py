"""The lost-update guard holds when two stale saves arrive at the same instant (issue 23):
two editors, two threads, each its own database connection, made to collide by a barrier
in the save (after both forms were checked, before either writes). Exactly one wins; the
other is told « modifiée pendant que vous la modifiiez » and loses nothing typed."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from actors.models import Organisation
from common import admin as common_admin
from tests.cress.test_history import PROFILE_FORM, form_data
from tests.factories import OrganisationFactory

REFUSED = "Cette fiche a été modifiée pendant que vous la modifiiez"


@pytest.mark.django_db(transaction=True)
def test_two_stale_saves_at_the_same_instant_one_wins(staff_groups, monkeypatch):
    organisation = OrganisationFactory(name="Recyclerie du Bessin", summary="Avant.")
    url = reverse(PROFILE_FORM, args=[organisation.pk])
    clients, forms = [], []
    for number in (1, 2):
        user = User.objects.create_user(f"editeur-{number}", password="x", is_staff=True)
        user.groups.add(staff_groups[0])
        client = Client()
        client.force_login(user)
        clients.append(client)
        forms.append(form_data(client.get(url)))  # both open the same version
    forms[0]["summary"] = "Résumé de l'éditeur 1."
    forms[1]["summary"] = "Résumé de l'éditeur 2."

    # Both saves wait for each other once their form is valid: without a lock both have
    # compared the version they opened and both write. With the row locked, the second
    # waits on the lock instead, and the first goes on when the barrier gives up.
    barrier = threading.Barrier(2, timeout=1)

    def collide(request, obj, form, change):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(common_admin, "change_form_saving", [*common_admin.change_form_saving, collide])
    answers = [None, None]

    def save(index):
        try:
            answers[index] = clients[index].post(url, forms[index])
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 302], "exactly one save wins"
    [winner] = [i for i, answer in enumerate(answers) if answer.status_code == 302]
    loser = 1 - winner
    page = answers[loser].content.decode()
    assert REFUSED in page and f"editeur-{winner + 1}" in page
    assert forms[loser]["summary"].replace("'", "&#x27;") in page, "nothing typed is lost"
    assert Organisation.objects.get(pk=organisation.pk).summary == forms[winner]["summary"]
