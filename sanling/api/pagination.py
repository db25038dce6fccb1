from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500  # a larger page_size is served at 500 rows

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            # Silently serving 50 rows for page_size=abc would hide the client's mistake.
            raise exceptions.ValidationError({"page_size": [_("page_size must be a whole number from 1.")]})
        return min(int(text), self.max_page_size)
