"""The 我的待办 badge in the navigation: open and overdue counts, read once per request and only if the
page shows them (a lazy object), so a page that does not render the navigation pays nothing."""

from django.utils.functional import SimpleLazyObject

from sanling.accounts.scope import request_scope

from .selectors import WorkCounts
from .selectors import work_counts as count_work


def request_work_counts(request) -> WorkCounts:
    if not hasattr(request, "_sanling_work_counts"):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request_scope(request).sees_business_data:
            request._sanling_work_counts = WorkCounts(open=0, overdue=0)
        else:
            request._sanling_work_counts = count_work(user, scope=request_scope(request))
    return request._sanling_work_counts


def work_counts(request) -> dict:
    return {"work_counts": SimpleLazyObject(lambda: request_work_counts(request))}
