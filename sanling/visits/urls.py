"""Pages of visits (mounted at /visits/)."""

app_name = "visits"

urlpatterns: list = []
