"""Showing a new authenticator-app secret as a QR code (SVG, no images to fetch) and as text."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def qr_svg(url: str) -> SafeString:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    # Markup made here from a URL we generated; nothing user-supplied.
    return mark_safe(
        svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    )


def secret_for_people(device: TOTPDevice) -> str:
    """The secret in groups of four, for people who type it into their app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
