from django.core.files.uploadedfile import SimpleUploadedFile

from sanling.audit.context import Actor, acting

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def photo(name="fix.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def as_user(user):
    """Run the block as ``user`` (the actor the timeline and the 复查 rule read)."""
    return acting(Actor(user=user, name=user.username, source="web"))
