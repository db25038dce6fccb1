from .scope import NOTHING, request_scope


def scope(request) -> dict:
    # An error page may be rendered for a request refused before it was authenticated (a 400 for a bad
    # Host header): it has no user, so it sees nothing.
    if not hasattr(request, "user"):
        return {"scope": NOTHING}
    return {"scope": request_scope(request)}
