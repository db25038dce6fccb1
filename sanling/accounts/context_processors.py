from .scope import request_scope


def scope(request) -> dict:
    return {"scope": request_scope(request)}
