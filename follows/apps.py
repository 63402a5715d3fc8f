from django.apps import AppConfig


class FollowsConfig(AppConfig):
    name = "follows"
    verbose_name = "Recherches suivies"

    def ready(self):
        from django.urls import reverse

        from actors import extensions

        from . import jobs  # noqa: F401 — the background kind (send_digests)

        # « Me prévenir » on the actor lists: ``actors`` names no URL of an app above it.
        extensions.addresses["follow"] = lambda query="": reverse("follows:new") + (f"?{query}" if query else "")
