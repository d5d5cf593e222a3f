"""Profile photos: stored under a name and format the server chooses, never the
uploader's. A PNG named ``x.pdf`` would otherwise be served as a PDF from our origin,
a 17 KB PNG of 12000×12000 pixels would make every page showing it decode half a
gigabyte, and a phone's photo would publish where it was taken (EXIF)."""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SIDE_IN = 6000  # larger uploads are refused before their pixels are decoded
SIDE_OUT = 512  # what the site ever shows (avatars are at most a few hundred px)


def normalise(upload):
    """A clean copy of ``upload``: the detected format (JPEG, PNG or WebP), at most
    ``SIDE_OUT`` pixels a side, upright, without metadata, under a random name."""
    upload.seek(0)
    try:
        image = Image.open(upload)  # reads the header only
        kind = image.format
        width, height = image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(_("La foto debe ser JPEG, PNG o WebP.")) from exc
    if kind not in FORMATS:
        raise ValidationError(_("La foto debe ser JPEG, PNG o WebP."))
    if max(width, height) > MAX_SIDE_IN:
        raise ValidationError(
            _("La foto mide %(width)s × %(height)s píxeles; el máximo es %(max)s por lado.")
            % {"width": width, "height": height, "max": MAX_SIDE_IN}
        )
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        image.thumbnail((SIDE_OUT, SIDE_OUT))
        if kind == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        output = io.BytesIO()
        # Saving a fresh image writes no EXIF, XMP or text chunks from the upload.
        options = {"JPEG": {"quality": 85}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}
        image.save(output, format=kind, **options[kind])
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("No pudimos leer la foto; prueba con otra imagen.")) from exc
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(8)}.{FORMATS[kind]}")
