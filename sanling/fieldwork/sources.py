"""Where the 基层工作 page, panel and commands read each domain from: its figures, its list page and its
record pages. Kept in one place so the hub, the panel and the CLI name the same things."""

from importlib import import_module

from django.utils.translation import pgettext_lazy

# (app, module of its figures, function) in the order the panel prints them.
FIGURE_FUNCTIONS = (
    ("hazards", "sanling.hazards.figures", "hazard_figures"),
    ("keypeople", "sanling.keypeople.figures", "key_visit_figures"),
    ("visits", "sanling.visits.figures", "household_visit_figures"),
    ("patrols", "sanling.patrols.figures", "patrol_figures"),
    ("meetings", "sanling.meetings.figures", "meeting_figures"),
)


def SECTIONS() -> list[tuple[str, object]]:  # noqa: N802
    """(app, figures function) of each domain whose figures exist.

    TEMPORARY fallback while the domains' branches land: a domain without its ``figures`` module yet is left
    out. Removed once every domain is merged."""
    found = []
    for app, module, function in FIGURE_FUNCTIONS:
        try:
            found.append((app, getattr(import_module(module), function)))
        except (ImportError, AttributeError):
            continue
    return found


# The big buttons of "today": (app, label, URL names to try in order). TEMPORARY: the first name is each
# app's record page; the others are fallbacks while its branch lands, removed once every domain is merged.
ACTIONS = (
    (
        "keypeople",
        pgettext_lazy("fieldwork", "Record a key-person visit"),
        ("keypeople:visit_create", "keypeople:list"),
    ),
    ("visits", pgettext_lazy("fieldwork", "Record a household visit"), ("visits:create", "visits:list")),
    ("hazards", pgettext_lazy("fieldwork", "Report a hazard"), ("hazards:create", "hazards:list")),
    ("patrols", pgettext_lazy("fieldwork", "Log a patrol"), ("patrols:log_create", "patrols:list")),
    ("meetings", pgettext_lazy("fieldwork", "Record a meeting"), ("meetings:create", "meetings:list")),
)
# The hub: each app's main list (``<app>:list``).
LISTS = (
    ("grids", pgettext_lazy("fieldwork", "Grids and posts")),
    ("hazards", pgettext_lazy("fieldwork", "Hazards")),
    ("keypeople", pgettext_lazy("fieldwork", "Key populations")),
    ("visits", pgettext_lazy("fieldwork", "Household visits")),
    ("patrols", pgettext_lazy("fieldwork", "Patrols")),
    ("meetings", pgettext_lazy("fieldwork", "Meetings")),
)


def first_url(names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that resolves, or None."""
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None
