"""Where the 基层工作 page, panel and commands read each domain from: its figures, its list page and its
record page. Kept in one place so the hub, the panel and the CLI name the same things."""

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from sanling.hazards.figures import hazard_figures
from sanling.keypeople.figures import key_visit_figures
from sanling.meetings.figures import meeting_figures
from sanling.patrols.figures import patrol_figures
from sanling.visits.figures import household_visit_figures

# (app, figures function) in the order the panel and ``sanling fieldwork stats`` print them.
FIGURES = (
    ("hazards", hazard_figures),
    ("keypeople", key_visit_figures),
    ("visits", household_visit_figures),
    ("patrols", patrol_figures),
    ("meetings", meeting_figures),
)

# The big buttons of "today": (app, label, URL name of the page that records it). A key-person visit is
# recorded on the person's page (chosen from the list, or from a visit due on "today"); a hazard is found in an
# inspection (排查).
ACTIONS = (
    (
        "keypeople",
        pgettext_lazy("fieldwork key people", "Record a key-person return visit"),
        "keypeople:list",
    ),
    ("visits", pgettext_lazy("fieldwork", "Record a household visit"), "visits:create"),
    ("hazards", pgettext_lazy("fieldwork", "Report a hazard"), "hazards:inspection_create"),
    ("patrols", pgettext_lazy("fieldwork", "Log a patrol"), "patrols:log_create"),
    ("meetings", pgettext_lazy("fieldwork", "Record a meeting"), "meetings:create"),
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


# The records placed in a region only: a writer with no region (a department) records none of them.
PLACE_APPS = frozenset({"keypeople", "visits", "patrols", "meetings"})


def action_links(*, places: bool = True) -> list[tuple[str, str, str]]:
    """(app, label, URL) of each big button (without ``places``: only those a department may record)."""
    return [
        (app, str(label), reverse(name)) for app, label, name in ACTIONS if places or app not in PLACE_APPS
    ]


def hub_links() -> list[tuple[str, str, str]]:
    """(app, label, URL) of each fieldwork list."""
    return [(app, str(label), reverse(f"{app}:list")) for app, label in LISTS]
