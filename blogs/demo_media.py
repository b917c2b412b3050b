"""The demo spaces' pictures and sound, made in code (no file ships with the demo): Pillow draws
the banners, covers and the photo space's gallery; the podcast episode is a short MP3 of silence
written frame by frame. Each is stored as Wagtail stores an upload, in the space's own collection
(where its owner finds it in the editor)."""

from __future__ import annotations

import io
import math

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

WHITE = (255, 255, 255)


def collection_of(space):
    """The collection `create_space` made for the space (its owner uploads and chooses there)."""
    return Collection.objects.filter(name=f"{space.title} ({space.pk})").first() or Collection.get_first_root_node()


def save_image(canvas: Image.Image, *, title: str, name: str, collection, photo: bool = False):
    """A drawing as PNG; a `photo` as JPEG (smaller, and quicker to write)."""
    buffer = io.BytesIO()
    if photo:
        canvas.save(buffer, "JPEG", quality=85)
    else:
        canvas.save(buffer, "PNG")
    return get_image_model().objects.create(title=title, collection=collection,
                                            file=ImageFile(buffer, name=f"{name}.{'jpg' if photo else 'png'}"))


def _font(size: int):
    return ImageFont.load_default(size=size)


def banner(title: str, colour: tuple[int, int, int]) -> Image.Image:
    canvas = Image.new("RGB", (960, 320), colour)
    ImageDraw.Draw(canvas).text((32, 130), title, fill=WHITE, font=_font(48))
    return canvas


def _sky(size, top, bottom) -> Image.Image:
    return ImageOps.colorize(Image.linear_gradient("L").resize(size), top, bottom)


def landscape(variant: int, *, size=(960, 640)) -> Image.Image:
    """Dawn over a river: a sky, a low sun, two hills, the water and bands of mist (`variant` moves
    the sun and changes the light)."""
    width, height = size
    palettes = [((40, 52, 92), (247, 196, 140)), ((70, 90, 130), (236, 220, 200)), ((24, 34, 64), (250, 160, 110)),
                ((96, 120, 150), (230, 232, 236)), ((58, 70, 110), (255, 214, 160)), ((32, 60, 80), (200, 220, 210))]
    top, bottom = palettes[variant % len(palettes)]
    canvas = _sky(size, top, bottom).convert("RGBA")
    draw = ImageDraw.Draw(canvas)
    sun_x, sun_y, radius = width * (0.2 + 0.13 * (variant % 5)), height * 0.4, 34 + 6 * (variant % 3)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(255, 236, 200, 255))
    horizon = int(height * 0.62)
    far = [(0, horizon)] + [(x, horizon - 50 - 30 * math.sin(x / 140 + variant)) for x in range(0, width + 1, 40)]
    draw.polygon([*far, (width, horizon)], fill=(60, 70, 88, 255))
    near = [(0, height)] + [(x, horizon + 10 - 40 * math.sin(x / 210 + variant * 2)) for x in range(0, width + 1, 40)]
    draw.polygon([*near, (width, height)], fill=(34, 44, 40, 255))
    draw.polygon([(0, height), (width * 0.35, horizon + 12), (width * 0.55, horizon + 12), (width, height)],
                 fill=(150, 170, 190, 255))  # the river, widening towards us
    mist = Image.new("RGBA", size, (0, 0, 0, 0))
    mist_draw = ImageDraw.Draw(mist)
    for band in range(4):
        y = horizon - 30 + band * 26
        mist_draw.rectangle((0, y, width, y + 18), fill=(255, 255, 255, 90 - band * 15))
    return Image.alpha_composite(canvas, mist.filter(ImageFilter.GaussianBlur(14))).convert("RGB")


def wheel(size=(960, 540)) -> Image.Image:
    """A bicycle wheel on the workbench (the column's cover)."""
    width, height = size
    canvas = _sky(size, (60, 64, 70), (140, 120, 96))
    draw = ImageDraw.Draw(canvas)
    cx, cy, rim = width // 2, height // 2, min(size) // 2 - 30
    draw.ellipse((cx - rim, cy - rim, cx + rim, cy + rim), outline=(20, 20, 20), width=22)  # the tyre
    draw.ellipse((cx - rim + 20, cy - rim + 20, cx + rim - 20, cy + rim - 20), outline=(190, 190, 196), width=6)
    for spoke in range(32):
        angle = spoke * math.pi / 16
        draw.line((cx + 14 * math.cos(angle), cy + 14 * math.sin(angle),
                   cx + (rim - 22) * math.cos(angle + 0.3), cy + (rim - 22) * math.sin(angle + 0.3)),
                  fill=(210, 210, 215), width=2)
    draw.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), fill=(120, 120, 128))
    return canvas


def tools(size=(960, 540)) -> Image.Image:
    """A pegboard with a few tools' outlines."""
    canvas = Image.new("RGB", size, (196, 164, 120))
    draw = ImageDraw.Draw(canvas)
    for x in range(30, size[0], 40):
        for y in range(30, size[1], 40):
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(150, 120, 84))
    for n, (colour, length) in enumerate([((180, 30, 30), 320), ((40, 80, 160), 260), ((30, 120, 60), 380)]):
        x = 160 + n * 260
        draw.rounded_rectangle((x, 90, x + 40, 90 + length), radius=16, fill=colour)
        draw.ellipse((x - 30, 50, x + 70, 140), outline=(90, 90, 96), width=18)
    return canvas


def microphone(size=(960, 540)) -> Image.Image:
    """A studio microphone beside a waveform (the podcast's cover)."""
    width, height = size
    canvas = _sky(size, (88, 36, 72), (236, 120, 90))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((130, 110, 250, 330), radius=60, fill=(40, 40, 48))
    draw.arc((100, 200, 280, 380), 0, 180, fill=(40, 40, 48), width=10)
    draw.rectangle((185, 380, 195, 460), fill=(40, 40, 48))
    draw.rectangle((130, 455, 250, 470), fill=(40, 40, 48))
    for n, x in enumerate(range(340, width - 60, 18)):
        amplitude = 40 + 150 * abs(math.sin(n / 4)) * (0.5 + 0.5 * math.cos(n / 11))
        draw.rounded_rectangle((x, height / 2 - amplitude / 2, x + 10, height / 2 + amplitude / 2), radius=5, fill=WHITE)
    return canvas


def keyboard(size=(960, 540)) -> Image.Image:
    """A mechanical keyboard seen from above (the video's cover)."""
    canvas = _sky(size, (30, 34, 42), (70, 76, 92))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((60, 110, 900, 430), radius=24, fill=(210, 206, 196))
    keycap = [(236, 232, 222), (120, 150, 170), (214, 110, 80)]
    for row in range(5):
        for col in range(13):
            x, y = 101 + col * 58 + (row % 2) * 12, 128 + row * 58
            colour = keycap[2] if (row, col) == (4, 6) else keycap[1] if col in (0, 12) else keycap[0]
            draw.rounded_rectangle((x, y, x + 50, y + 50), radius=8, fill=colour, outline=(150, 146, 136))
    return canvas


def switches(size=(960, 540)) -> Image.Image:
    """Four switches, close up, under a play button (the video's poster)."""
    width, height = size
    canvas = _sky(size, (20, 22, 28), (58, 62, 76))
    draw = ImageDraw.Draw(canvas)
    for n in range(4):
        x = 90 + n * 210
        draw.rounded_rectangle((x, 170, x + 150, 370), radius=14, fill=(44, 46, 54), outline=(90, 94, 108), width=4)
        cx, cy = x + 75, 250
        draw.rectangle((cx - 8, cy - 30, cx + 8, cy + 30), fill=(214, 110, 80))  # the stem's cross
        draw.rectangle((cx - 30, cy - 8, cx + 30, cy + 8), fill=(214, 110, 80))
    cx, cy = width // 2, height // 2
    draw.ellipse((cx - 70, cy - 70, cx + 70, cy + 70), fill=(255, 255, 255))
    draw.polygon([(cx - 22, cy - 38), (cx - 22, cy + 38), (cx + 42, cy)], fill=(206, 92, 0))
    return canvas


# MPEG-1 Layer III, 32 kbit/s, 48 kHz, mono, no CRC: a 96-byte frame is 1,152 samples (24 ms). With
# its side information all zeros (no coded bits, no scale factors) every decoder plays silence.
SILENT_FRAME = bytes([0xFF, 0xFB, 0x14, 0xC0]) + bytes(92)
FRAME_MS = 24


def silent_mp3(seconds: int) -> bytes:
    return SILENT_FRAME * math.ceil(seconds * 1000 / FRAME_MS)


def save_document(data: bytes, *, title: str, name: str, collection):
    return get_document_model().objects.create(title=title, collection=collection, file_size=len(data),
                                               file=ContentFile(data, name=name))
