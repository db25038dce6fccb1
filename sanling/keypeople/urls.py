"""Pages of keypeople (mounted at /key-people/)."""

app_name = "keypeople"

urlpatterns: list = []
