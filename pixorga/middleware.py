from django.http import HttpResponseBadRequest

NUL = "\x00"
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
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(query):
        return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())
