"""The blocks of a space post's body (Wagtail StreamField). Video and audio files are Wagtail
documents (WAGTAILDOCS_EXTENSIONS admits mp3/m4a/ogg/mp4/webm) rather than wagtailmedia: see
docs/ARCHITECTURE.md."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote", "hr"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    alt = blocks.CharBlock(label=_("text alternative"), required=False, max_length=250,
                           help_text=_("What the picture shows, for readers who cannot see it."))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blogs/blocks/image.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    images = blocks.ListBlock(ImageBlock(), label=_("images"), min_num=1, max_num=60)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "blogs/blocks/gallery.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"), max_length=2000)
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "blogs/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    """An embedded video (a YouTube or Vimeo address) or an uploaded file, with a poster image."""

    embed = EmbedBlock(label=_("video address"), required=False,
                       help_text=_("A YouTube, Vimeo or PeerTube address; or upload a file below."))
    file = DocumentChooserBlock(label=_("video file"), required=False, help_text=_("MP4 or WebM."))
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blogs/blocks/video.html"


class AudioBlock(blocks.StructBlock):
    """A podcast episode: the file, its duration and its show notes."""

    file = DocumentChooserBlock(label=_("audio file"), help_text=_("MP3, M4A or OGG."))
    duration = blocks.CharBlock(label=_("duration"), required=False, max_length=8,
                                help_text=_("As h:mm:ss or mm:ss, e.g. 42:10."),
                                validators=[])
    episode = blocks.IntegerBlock(label=_("episode number"), required=False, min_value=1)
    show_notes = blocks.RichTextBlock(label=_("show notes"), required=False, features=TEXT_FEATURES)

    class Meta:
        icon = "media"
        label = _("Audio episode")
        template = "blogs/blocks/audio.html"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(label=_("tone"), choices=[("info", _("Information")), ("tip", _("Tip")),
                                                        ("warning", _("Warning"))], default="info")
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        label = _("Call-out")
        template = "blogs/blocks/callout.html"


class PostBody(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    audio = AudioBlock()
    callout = CalloutBlock()
