"""The API's content negotiation (its own module: DRF imports it from its settings, before
the views that use it, as ``common/pagination.py``)."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class DirectoryContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, whose 406 says in French which formats the address serves."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            formats = ", ".join(dict.fromkeys(renderer.media_type for renderer in renderers))
            raise NotAcceptable(
                f"Aucun des formats demandés dans l'en-tête Accept n'est disponible ici. Formats servis : {formats}."
            ) from None
