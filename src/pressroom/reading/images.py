"""A figure's picture, read from the source's folder and checked before any edition uses it.

Sources are untrusted: a picture is a relative path inside the source's folder (no URL, no
absolute path, no `..`, no symbolic link out of it), a JPEG or PNG that Pillow can decode, under
a size limit in bytes and in pixels (a small file can decode to a huge bitmap).
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from pathlib import Path
from types import MappingProxyType

from PIL import Image as Pillow
from PIL import ImageCms

from ..core import model as m

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # a full-page photograph at 300 ppi is a few megabytes
MAX_IMAGE_PIXELS = 60_000_000  # 9 × 12 in at 600 ppi
PRINT_PPI = 300  # what printers ask of a photograph at its printed size
_FORMATS = MappingProxyType({"JPEG": "image/jpeg", "PNG": "image/png"})


def load_image(folder: Path, name: str) -> m.Image:
    """The picture `name` (as the source writes it) in `folder`; ValueError says what is wrong."""
    relative = Path(name)
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", name) or relative.is_absolute() or ".." in relative.parts or not name:
        raise ValueError(f"picture '{name}' must be a path inside the source's folder (no URL, no '..')")
    path = folder / relative
    if not path.is_file():
        raise ValueError(f"picture '{name}' not found in {folder}")
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ValueError(f"picture '{name}' leads outside the source's folder")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise ValueError(f"picture '{name}' is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(io.BytesIO(data)) as picture:
                kind, (width, height) = picture.format, picture.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValueError(f"picture '{name}' has {width} × {height} pixels, more than {MAX_IMAGE_PIXELS:,}")
                picture.load()  # a truncated or corrupt file fails here, not in a writer
    except (OSError, SyntaxError, Pillow.DecompressionBombWarning, Pillow.DecompressionBombError) as error:
        raise ValueError(f"picture '{name}' cannot be read as an image ({error})") from None
    if kind not in _FORMATS:
        raise ValueError(f"picture '{name}' is {kind}; a figure's picture must be JPEG or PNG")
    return m.Image(name, _FORMATS[kind], width, height, data)


def ppi(image: m.Image, printed_width_pt: float) -> float:
    """The picture's resolution when printed `printed_width_pt` wide."""
    return image.width / (printed_width_pt / 72)


def data_url(image: m.Image) -> str:
    """The picture as a `data:` URL: the print edition's layout reads nothing from the source's folder."""
    return f"data:{image.media_type};base64,{base64.b64encode(image.data).decode('ascii')}"


def for_press(image: m.Image, profile: Path) -> m.Image:
    """The picture separated for the press: converted from its own profile (sRGB when it names
    none) to the CMYK `profile` of the PDF/X output intent, perceptually, as a JPEG. A PDF/X
    file with a CMYK intent may not hold device RGB."""
    with Pillow.open(io.BytesIO(image.data)) as picture:
        embedded = picture.info.get("icc_profile")
        if picture.mode in ("RGBA", "LA", "P"):  # transparency printed over white paper
            picture = picture.convert("RGBA")
            flat = Pillow.new("RGB", picture.size, (255, 255, 255))
            flat.paste(picture, mask=picture.getchannel("A"))
            picture = flat
        elif picture.mode != "RGB":
            picture = picture.convert("RGB")
        source = ImageCms.ImageCmsProfile(io.BytesIO(embedded)) if embedded else ImageCms.createProfile("sRGB")
        press = ImageCms.ImageCmsProfile(str(profile))
        separated = ImageCms.profileToProfile(picture, source, press, renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                              outputMode="CMYK")
        out = io.BytesIO()
        separated.save(out, format="JPEG", quality=92, dpi=(300, 300))
    return m.Image(image.name, "image/jpeg", image.width, image.height, out.getvalue())
