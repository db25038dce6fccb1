"""Pages of patrols (mounted at /patrols/)."""

app_name = "patrols"

urlpatterns: list = []
