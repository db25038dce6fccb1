"""QR codes drawn as inline SVG: one path, no script, no text and no style attribute, so the strict
Content-Security-Policy lets it into a page as it is (the TOTP enrolment and the 一案一码 case sheet)."""

import re

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, size: int = 220, css_class: str = "") -> SafeString:
    """``data`` as an ``<svg>`` drawn ``size`` pixels square (a stylesheet may resize it through
    ``css_class``). Only the fixed attributes are rewritten; ``data`` is encoded as modules, never as text."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    text = image.to_string(encoding="unicode")
    attributes = f'width="{int(size)}" height="{int(size)}"'
    if css_class:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", css_class):
            raise ValueError(css_class)
        attributes += f' class="{css_class}"'
    return mark_safe(re.sub(r'width="[^"]*" height="[^"]*"', attributes, text, count=1))  # noqa: S308
