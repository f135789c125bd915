"""The one pagination helper of every list page: page number and page size read from the query string."""

from django.core.paginator import Paginator

from .inputs import parse_choice, parse_id

PAGE_SIZES = (10, 25, 50, 100)
PAGE_PARAM = "page"
SIZE_PARAM = "taille"


def paginate(request, queryset, *, default_size=25, sizes=PAGE_SIZES):
    """The requested page of `queryset`; a malformed or out-of-range number gives the first or last page."""
    size = parse_choice(request.GET.get(SIZE_PARAM), sizes, default=default_size)
    page = Paginator(queryset, size).get_page(parse_id(request.GET.get(PAGE_PARAM)) or 1)
    page.page_sizes = sizes
    return page
