"""Pages of hazards (mounted at /hazards/)."""

app_name = "hazards"

urlpatterns: list = []
