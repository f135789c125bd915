"""The one pagination helper of every list page: page number and page size read from the query string."""

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

from .inputs import parse_choice, parse_id

PAGE_SIZES = (10, 25, 50, 100)
PAGE_PARAM = "page"
SIZE_PARAM = "taille"


class LateRowPaginator(Paginator):
    """Pages of a query read in two steps: the page's ids first, walking only the index of its order, then
    those rows with their joins. A deep page of 50,000 rows then skips ids, not joined rows."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = self.object_list.order_by().in_bulk(ids) if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def paginate(
    request,
    queryset,
    *,
    default_size=25,
    sizes=PAGE_SIZES,
    count=None,
    page_param=PAGE_PARAM,
    late_rows=False,
):
    """The requested page of `queryset`; a malformed or out-of-range number gives the first or last page.

    `count`, when the caller already knows it (a counter kept by the services), saves counting 50,000 rows.
    `page_param` names the page's parameter when a page holds two paginated lists; `late_rows` reads a
    page of a large query with `LateRowPaginator`.
    """
    size = parse_choice(request.GET.get(SIZE_PARAM), sizes, default=default_size)
    paginator = (LateRowPaginator if late_rows else Paginator)(queryset, size)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(parse_id(request.GET.get(page_param)) or 1)
    page.page_sizes = sizes
    return page


class ApiPagination(PageNumberPagination):
    """The API's pages: the same `page` and `taille` parameters as the console's lists; `taille` is capped
    at the console's largest size, so that no request reads more than 100 rows."""

    page_size = 25
    page_query_param = PAGE_PARAM
    page_size_query_param = SIZE_PARAM
    max_page_size = max(PAGE_SIZES)
    invalid_page_message = "Cette page n'existe pas : les pages vont de 1 à la dernière."

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "Numéro de la page, à partir de 1."
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Nombre de lignes par page : {self.page_size} par défaut, {self.max_page_size} au plus "
                    "(une valeur plus grande donne 100)."
                )
        return parameters
