"""Pages of meetings (mounted at /meetings/)."""

app_name = "meetings"

urlpatterns: list = []
