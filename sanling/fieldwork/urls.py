"""Pages of fieldwork (mounted at /fieldwork/)."""

app_name = "fieldwork"

urlpatterns: list = []
