"""Pages of grids (mounted at /grids/)."""

app_name = "grids"

urlpatterns: list = []
