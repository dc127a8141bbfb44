from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ContentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


EXTENSIONS = {ContentType.PDF: "pdf", ContentType.JPEG: "jpg", ContentType.PNG: "png"}


class StoredFile(models.Model):
    """A file's bytes, stored once under their SHA-256 (content-addressed).

    Created only by :func:`gongshi.files.ingest.ingest_upload`, after the content has been
    checked; the same bytes uploaded twice are one row and one stored object.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=40, choices=ContentType.choices)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    width = models.PositiveIntegerField(_("宽度"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高度"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… ({self.get_content_type_display()})"

    @property
    def storage_name(self) -> str:
        return storage_name_for(self.sha256, self.content_type)

    @property
    def is_pdf(self) -> bool:
        return self.content_type == ContentType.PDF

    def get_absolute_url(self) -> str:
        return reverse("files:download", args=[self.sha256])

    def download_url(self, name: str = "", *, as_attachment: bool = False) -> str:
        """Where to fetch the bytes; ``name`` (an attachment's name) names the saved file."""
        query = {k: v for k, v in (("name", name), ("download", "1" if as_attachment else "")) if v}
        return self.get_absolute_url() + (f"?{urlencode(query)}" if query else "")

    def preview_url(self, page: int = 1, width: int = 960) -> str:
        """A PNG of page ``page`` (PDF) or of the image, about ``width`` pixels wide."""
        query = urlencode({"page": page, "width": width})
        return reverse("files:preview", args=[self.sha256]) + f"?{query}"


def storage_name_for(sha256: str, content_type: str) -> str:
    return f"files/{sha256[:2]}/{sha256[2:4]}/{sha256}.{EXTENSIONS[content_type]}"
