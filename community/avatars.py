"""Avatars: an uploaded picture is decoded and written again by Pillow before it is stored.

What the member sent is never stored as it came. The file is opened only as PNG, JPEG, GIF or
WebP (whatever its name or declared type says), its size is read from the header and refused past
MAX_SIDE before a single pixel is decoded (a 30 KB PNG can decode to gigabytes), its EXIF
orientation is applied, and it is encoded again in its own format with no metadata: EXIF (GPS
position, camera, dates), XMP, IPTC, PNG text chunks and comments all go; only the colour profile
(ICC) stays, since without it the colours change. An animated GIF or WebP keeps its first frame
(decoding every frame of a hostile animation is the bomb again, and an avatar is small).

The stored file is named from its real format (`.png`, `.jpg`, `.gif`, `.webp`), never from the
client's name: a PNG uploaded as `x.pdf` is served as image/png. `reencode` is pure CPU work on the
upload: callers run it before their transaction opens.
"""

from __future__ import annotations

import logging
import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

log = logging.getLogger(__name__)

MAX_SIDE = 4096  # pixels, each way: at most 16.7 million pixels (about 64 MB decoded)
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
_JPEG_MODES = {"RGB", "L", "CMYK"}
_WEBP_MODES = {"RGB", "RGBA"}


class Avatar(ContentFile):
    """A re-encoded picture, ready to store (its name is `avatar.<real extension>`)."""

    def __init__(self, data: bytes, *, image_format: str, size: tuple[int, int]):
        super().__init__(data, name=f"avatar.{EXTENSIONS[image_format]}")
        self.image_format = image_format
        self.dimensions = size


def _not_an_image() -> ValidationError:
    return ValidationError(_("Upload a PNG, JPEG, GIF or WebP image."), code="invalid_image")


def _too_large() -> ValidationError:
    # MAX_SIDE, written out: the sentence was translated so.
    return ValidationError(_("The image is too large: at most 4096×4096 pixels."), code="image_too_large")


def reencode(upload) -> Avatar:
    """The upload decoded and encoded again without metadata; ValidationError when it cannot be."""
    if isinstance(upload, Avatar):
        return upload
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: here it refuses.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            source = Image.open(upload, formats=list(EXTENSIONS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large() from None
        except Exception:  # hostile input: whatever the decoder trips on is "not an image"
            raise _not_an_image() from None
        with source:
            image_format = source.format
            width, height = source.size
            if image_format not in EXTENSIONS:
                raise _not_an_image()
            if width > MAX_SIDE or height > MAX_SIDE:  # read from the header: nothing decoded yet
                raise _too_large()
            try:
                return _encode(source, image_format)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_large() from None
            except Exception as exc:  # truncated, corrupt, a decoder's surprise: the member's error
                log.info("avatar refused: %s picture could not be decoded (%s)", image_format, exc)
                raise ValidationError(
                    _("This image could not be read: the file is damaged or incomplete. "
                      "Save it again from an image editor and upload it once more."),
                    code="damaged_image") from None


def _encode(source: Image.Image, image_format: str) -> Avatar:
    source.seek(0)  # the first frame of an animation
    source.load()
    icc_profile = source.info.get("icc_profile")
    transparency = source.info.get("transparency")
    image = ImageOps.exif_transpose(source)  # a copy, turned the way the camera was held
    options: dict = {}
    if image_format == "JPEG":
        if image.mode not in _JPEG_MODES:
            image = image.convert("RGB")
        options.update(quality=90, optimize=True)
    elif image_format == "WEBP":
        if image.mode not in _WEBP_MODES:
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        options.update(quality=90)
    elif transparency is not None:  # PNG, GIF: the transparent colour of a palette or grey image
        options["transparency"] = transparency
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.info = {}  # every other piece of metadata goes: what is kept is passed explicitly
    out = BytesIO()
    image.save(out, format=image_format, **options)
    return Avatar(out.getvalue(), image_format=image_format, size=image.size)
