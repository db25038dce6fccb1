"""The grid roster (网格与岗位): a region's grids as a tree with their tiers, holders and empty posts, and the
forms that record, edit and end a post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.core.concurrency import StaleVersion

from .forms import PostEndForm, PostForm
from .selectors import grid_roster, roster_places, scoped_posts
from .services import post_create, post_end, post_update


@login_required
def grid_list(request: HttpRequest) -> HttpResponse:
    """网格与岗位: the grids of a town or village (the user's area by default) as a tree, each with its
    tier, its holders (phones masked) and, in red, the required posts nobody holds."""
    scope = request_scope(request)
    if not scope.sees_business_data or scope.region is None and not scope.everything:
        raise PermissionDenied  # posts are placed in regions: a department's users hold none of them
    places = roster_places(scope, town=request.GET.get("town", ""), village=request.GET.get("village", ""))
    roster = grid_roster(places.region) if places.region is not None else None
    response = render(
        request,
        "grids/grid_list.html",
        {"places": places, "roster": roster, "can_write": scope.records_places},
    )
    add_never_cache_headers(response)  # names of people, masked phones: kept out of caches
    return response


def _back_to(post) -> str:
    """The roster the post shows in: its town's for a town's post, else its village's."""
    region = post.region
    if region.level == "town":
        return f"{reverse('grids:list')}?{urlencode({'town': region.code})}"
    village = next((code for code in reversed([*region.ancestor_codes, region.code]) if len(code) == 12), "")
    return f"{reverse('grids:list')}?{urlencode({'village': village})}"


def _apply_errors(form, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@login_required
def post_add(request: HttpRequest) -> HttpResponse:
    """Record a post; ``?region=CODE`` starts it at a grid (the roster's 添加 link)."""
    scope = request_scope(request)
    if not scope.records_places:
        raise PermissionDenied
    form = PostForm(request.POST or None, scope=scope, initial={"region": request.GET.get("region", "")})
    if request.method == "POST" and form.is_valid():
        try:
            post = post_create(scope=scope, **form.changes())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The post of %(name)s is recorded.") % {"name": post.holder_name})
            return redirect(_back_to(post))
    return render(request, "grids/post_form.html", {"form": form, "post": None})


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    post = get_object_for_user(scoped_posts(scope), pk=pk)
    if not scope.can_write:
        raise PermissionDenied
    form = PostForm(request.POST or None, instance=post, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            post = post_update(
                post=post, version=form.cleaned_data.get("version") or 0, scope=scope, **form.changes()
            )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The post of %(name)s is saved.") % {"name": post.holder_name})
            return redirect(_back_to(post))
    response = render(request, "grids/post_form.html", {"form": form, "post": post})
    add_never_cache_headers(response)
    return response


@login_required
def post_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder leaves the post (离任) on a date; the post stays in the record."""
    scope = request_scope(request)
    post = get_object_for_user(scoped_posts(scope), pk=pk)
    if not scope.can_write:
        raise PermissionDenied
    form = PostEndForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            post = post_end(
                post=post,
                ended_on=form.cleaned_data["ended_on"],
                version=form.cleaned_data.get("version") or 0,
                scope=scope,
            )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s has left the post.") % {"name": post.holder_name})
            return redirect(_back_to(post))
    return render(request, "grids/post_end.html", {"form": form, "post": post})
