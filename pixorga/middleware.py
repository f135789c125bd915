from django.http import HttpResponseBadRequest

from .api import error_response

NUL = "\x00"
# The API answers its errors in its own JSON shape, this one too.
API_PREFIX = "/api/"
NUL_MESSAGE = "La requête contient un caractère invalide (octet nul). Vérifiez l'adresse ou le formulaire."


class RejectNulBytesMiddleware:
    """PostgreSQL refuses NUL in text: a NUL byte anywhere in the path, query string or form is a 400,
    before any view or database query sees it (it used to cut CSV exports short mid-stream)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or self._has_nul(request.GET)
            or (request.method == "POST" and self._has_nul(request.POST))
        ):
            if request.path.startswith(API_PREFIX):
                return error_response("requete_invalide", NUL_MESSAGE, 400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(query):
        return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())
