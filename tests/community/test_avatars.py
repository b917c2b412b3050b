"""Avatars are decoded and written again (community.avatars) before they are stored: named by their
real format, without metadata, refused with a form error when they cannot be read or are too big."""

import io
import mimetypes
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.views.static import serve
from PIL import Image

from community import services
from community.models import Profile
from tests.factories import png_upload

pytestmark = pytest.mark.django_db

EDIT = "/accounts/profile/"


def edit_form(**changes):
    form = {"display_name": "Maya L.", "language": "", "bio": "I ride bikes.", "website": "", "location": "Lyon"}
    form.update(changes)
    return form


def avatar_errors(response):
    return [str(error) for error in response.context["form"].errors.get("avatar", [])]


def stored_avatar(member):
    avatar = Profile.objects.get(user=member).avatar
    with avatar.storage.open(avatar.name) as handle:
        data = handle.read()
    return avatar, data


def jpeg_with_gps(name="holiday.jpg"):
    """A JPEG as a phone takes it: landscape pixels, "turn 90°" orientation, GPS position, a comment."""
    image = Image.new("RGB", (40, 20), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS: Paris
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"home sweet home")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width, height):
    """A valid grey PNG of width×height black pixels: a few dozen KB that decode to width×height bytes."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


def test_a_png_named_pdf_is_stored_and_served_as_a_png(member_client, member):
    upload = png_upload(name="x.pdf")
    upload.content_type = "application/pdf"

    response = member_client.post(EDIT, edit_form(avatar=upload))

    assert response.status_code == 302
    avatar, data = stored_avatar(member)
    assert avatar.name.endswith(".png") and "x" not in avatar.name.rsplit("/", 1)[-1]
    assert mimetypes.guess_type(avatar.url)[0] == "image/png"
    assert Image.open(io.BytesIO(data)).format == "PNG"
    # Served from the media folder (as the demo and any web server do): by its extension.
    served = serve(RequestFactory().get(avatar.url), avatar.name, document_root=avatar.storage.location)
    assert served["Content-Type"] == "image/png"


def test_the_stored_file_name_never_comes_from_the_client(member_client, member):
    member_client.post(EDIT, edit_form(avatar=jpeg_with_gps(name="../../evil name.php.jpg")))

    avatar, _data = stored_avatar(member)
    folder, name = avatar.name.rsplit("/", 1)
    assert folder == f"avatars/{member.pk}"
    assert name.endswith(".jpg") and "evil" not in name and "php" not in name


def test_a_photos_gps_position_and_other_metadata_are_removed_and_it_is_turned_upright(member_client, member):
    response = member_client.post(EDIT, edit_form(avatar=jpeg_with_gps()))

    assert response.status_code == 302
    avatar, data = stored_avatar(member)
    assert avatar.name.endswith(".jpg")
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"home sweet home" not in data
    assert image.size == (20, 40)  # the orientation was applied to the pixels before it went


def test_png_text_chunks_go_and_transparency_stays(member_client, member):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "12 rue des Lilas, Lyon")
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)

    member_client.post(EDIT, edit_form(avatar=SimpleUploadedFile("me.png", buffer.getvalue())))

    _avatar, data = stored_avatar(member)
    assert b"rue des Lilas" not in data
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_an_animated_gif_keeps_its_first_frame(member_client, member):
    frames = [Image.new("RGB", (10, 10), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0,
                   comment=b"made by someone")
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 3

    member_client.post(EDIT, edit_form(avatar=SimpleUploadedFile("dance.gif", buffer.getvalue())))

    avatar, data = stored_avatar(member)
    image = Image.open(io.BytesIO(data))
    assert avatar.name.endswith(".gif") and image.format == "GIF"
    assert getattr(image, "n_frames", 1) == 1 and image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert b"made by someone" not in data


def test_a_webp_stays_a_webp(member_client, member):
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), (1, 2, 3)).save(buffer, format="WEBP")

    member_client.post(EDIT, edit_form(avatar=SimpleUploadedFile("me.png", buffer.getvalue())))

    avatar, data = stored_avatar(member)
    assert avatar.name.endswith(".webp") and Image.open(io.BytesIO(data)).format == "WEBP"


def test_a_truncated_image_is_a_form_error_and_the_text_is_kept(member_client, member):
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 60).convert("RGB").save(buffer, format="JPEG")
    truncated = SimpleUploadedFile("me.jpg", buffer.getvalue()[:3000], content_type="image/jpeg")

    response = member_client.post(EDIT, edit_form(avatar=truncated, bio="Kept as typed."))

    assert response.status_code == 400
    assert avatar_errors(response) == [
        "This image could not be read: the file is damaged or incomplete. "
        "Save it again from an image editor and upload it once more."]
    assert b"Kept as typed." in response.content
    assert not Profile.objects.get(user=member).avatar


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a" + b"\xff" * 30,
                                  b"%PDF-1.7\n%%EOF\n"])
def test_garbage_is_a_form_error_not_a_500(member_client, member, data):
    response = member_client.post(EDIT, edit_form(avatar=SimpleUploadedFile("me.png", data)))

    assert response.status_code == 400
    assert avatar_errors(response)
    assert not Profile.objects.get(user=member).avatar


def test_an_image_format_other_than_the_four_is_refused(member_client, member):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="BMP")

    response = member_client.post(EDIT, edit_form(avatar=SimpleUploadedFile("me.png", buffer.getvalue())))

    assert response.status_code == 400
    assert avatar_errors(response) == ["Upload a PNG, JPEG, GIF or WebP image."]


@pytest.mark.parametrize(("width", "height"), [
    (6000, 6000),  # 36 million pixels in 35 KB: under Pillow's own bomb limit, over ours
    (5000, 100),  # too wide, however few pixels
    (30000, 30000),  # 900 million: Pillow itself refuses to open it
])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(member_client, member, width, height):
    bomb = png_bomb(width, height)
    assert bomb.size < 2 * 1024 * 1024

    response = member_client.post(EDIT, edit_form(avatar=bomb))

    assert response.status_code == 400
    assert avatar_errors(response) == ["The image is too large: at most 4096×4096 pixels."]
    assert not Profile.objects.get(user=member).avatar


def test_the_service_re_encodes_an_upload_it_is_handed_directly(member):
    upload = png_upload(name="x.pdf")

    profile = services.update_profile(actor=member, member=member, display_name="", language="", bio="",
                                      website="", location="", avatar=upload)

    assert profile.avatar.name.endswith(".png")
