"""API of reviews."""


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    return []
