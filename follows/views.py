"""/suivre/: follow the actor list's filters (« Me prévenir »), confirm by the signed link
sent by e-mail (double opt-in: nothing else is sent before), stop in one click.

``/suivre/desabonner/<jeton>/`` answers the mail clients' one-click POST (RFC 8058), which
carries no CSRF token: that view alone is exempt; its GET is a page with a button."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from common.client import client_address
from jobs import mail

from . import links, searches
from .forms import FollowForm
from .models import SavedSearch


def confirmation_message(search):
    days = settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS
    lines = [
        "Bonjour,",
        "",
        f"Vous (ou quelqu'un avec votre adresse) avez demandé à être prévenu des nouveautés de l'{settings.DIRECTORY_SITE_NAME}",
        f"pour cette recherche : {searches.summary(search.query)}.",
        "",
        "Pour confirmer, ouvrez ce lien et cliquez sur « Confirmer » :",
        links.confirm_url(search),
        "",
        f"Sans confirmation, rien ne vous sera envoyé et votre adresse sera effacée dans {days} jours.",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
    ]
    return "\n".join(lines)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    source = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    query, errors = searches.normalise(source)
    form = FollowForm(request.POST or None, initial={"query": query}, client_address=client_address(request))
    if request.method == "POST" and not errors and form.is_valid():
        if not form.check_rate():
            form.add_error(None, "Trop d'envois depuis votre adresse en une heure : réessayez plus tard.")
        else:
            email = form.cleaned_data["email"].strip()
            search = SavedSearch.objects.filter(email__iexact=email, query=query).first()
            if search is None:
                try:
                    with transaction.atomic():
                        search = SavedSearch.objects.create(
                            email=email, query=query, frequency=form.cleaned_data["frequency"], created_at=timezone.now()
                        )
                except IntegrityError:  # the same request twice at once
                    search = SavedSearch.objects.get(email=email, query=query)
            # The same answer whether the address was known or not; a confirmed search is
            # not written to again (nothing is sent before a confirmation).
            if search.confirmed_at is None:
                mail.send(f"{settings.DIRECTORY_SITE_NAME} : confirmez pour être prévenu", confirmation_message(search),
                          [search.email])  # fmt: skip
            return redirect("follows:sent")
    context = {
        "form": form,
        "query": query,
        "errors": errors,
        "filters": searches.describe(query) if not errors else [],
        "list_url": reverse("actors:list") + (f"?{query}" if query else ""),
        "days": settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS,
    }
    return render(request, "follows/follow.html", context, status=400 if (form.errors or errors) else 200)


def sent(request):
    return render(request, "follows/sent.html", {"days": settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    pk, email, problem = links.read_confirm(token)
    search = SavedSearch.objects.filter(pk=pk, email=email).first() if problem is None else None
    if search is None:
        problem = problem or (
            "Cette demande n'existe plus : elle a peut-être été arrêtée, ou effacée faute de confirmation. "
            "Demandez de nouveau à être prévenu depuis la liste des acteurs."
        )
        return render(request, "follows/invalid.html", {"problem": problem}, status=404)
    done = search.confirmed_at is not None
    if request.method == "POST" and not done:
        search.confirmed_at = timezone.now()
        search.save(update_fields=["confirmed_at"])
        done = True
    return render(request, "follows/confirm.html", {
        "search": search, "done": done, "filters": searches.describe(search.query),
        "unsubscribe_url": reverse("follows:unsubscribe", args=[links.unsubscribe_token(search)]),
        "list_url": reverse("actors:list") + (f"?{search.query}" if search.query else ""),
    })  # fmt: skip


@csrf_exempt  # the mail clients' one-click POST (RFC 8058) has no CSRF token; it only deletes
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    pk = links.read_unsubscribe(token)
    if pk is None:
        return render(request, "follows/invalid.html",
                      {"problem": "Ce lien n'est pas valide : il a peut-être été mal copié."}, status=404)  # fmt: skip
    if request.method == "POST":
        SavedSearch.objects.filter(pk=pk).delete()
        return render(request, "follows/unsubscribed.html")
    search = SavedSearch.objects.filter(pk=pk).first()
    return render(request, "follows/unsubscribe.html", {
        "search": search, "filters": searches.describe(search.query) if search else [],
    })  # fmt: skip
