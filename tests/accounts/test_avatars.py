"""Profile photos are stored under a server-chosen name and format, small, without
metadata; disguised and oversized images are refused with a message."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.accounts.test_profile import profile_data

pytestmark = pytest.mark.django_db


def image_bytes(kind="PNG", size=(40, 30), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (12, 90, 160))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=kind, **options)
    return buffer.getvalue()


def upload(client, name, content, content_type):
    photo = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("accounts:profile_edit"), {**profile_data(), "photo": photo})


def test_a_png_named_pdf_is_stored_as_a_png(client, learner):
    client.force_login(learner)
    upload(client, "x.pdf", image_bytes("PNG"), "image/png")
    learner.refresh_from_db()
    assert learner.photo.name.endswith(".png")
    with learner.photo.open("rb") as stored:
        assert Image.open(stored).format == "PNG"


@pytest.mark.parametrize(("kind", "extension"), [("JPEG", "jpg"), ("WEBP", "webp")])
def test_the_extension_comes_from_the_detected_format(client, learner, kind, extension):
    client.force_login(learner)
    upload(client, "foto.png", image_bytes(kind), "image/png")
    learner.refresh_from_db()
    assert learner.photo.name.endswith(f".{extension}")


def test_large_photos_are_scaled_down_and_lose_their_metadata(client, learner):
    client.force_login(learner)
    exif = Image.Exif()
    exif[0x010F] = "Cámara de prueba"  # Make
    exif[0x8825] = {2: (19.0, 26.0, 0.0)}  # GPS latitude
    upload(client, "grande.jpg", image_bytes("JPEG", (3000, 2000), exif), "image/jpeg")
    learner.refresh_from_db()
    with learner.photo.open("rb") as stored:
        image = Image.open(stored)
        assert max(image.size) == 512
        assert not image.getexif()


def test_a_huge_canvas_is_refused_before_decoding(client, learner):
    client.force_login(learner)
    # A few KB on disk, 144 megapixels once decoded.
    bomb = image_bytes("PNG", (12000, 12000))
    assert len(bomb) < 1_000_000
    response = upload(client, "bomba.png", bomb, "image/png")
    errors = " ".join(response.context["form"].errors["photo"])
    assert "12000" in errors
    learner.refresh_from_db()
    assert not learner.photo
