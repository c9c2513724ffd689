"""What a print PDF needs beyond WeasyPrint's own: the CMYK output intent of PDF/X-4, and
page boxes that say exactly where the trim and the bleed are.

WeasyPrint writes PDF/X-4, but takes its output intent only from a CMYK ICC profile the document
names (`@color-profile device-cmyk`), and ships none. pressroom reads one profile, from the one
place its Debian package installs it (see `CMYK_PROFILE`), and only when the PDF is written: the
many layouts before that have no use for it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import OutputError, UsageError
from ..core.options import BuildOptions, length_points
from .structure import repair

if TYPE_CHECKING:
    from weasyprint.document import Document as Rendered

# ISO Coated v2 300% (basICColor): ISO 12647-2 offset on coated paper, characterized by FOGRA39.
# zlib license; Debian's scribus-data installs it (./.ci/install-system-deps runtime).
CMYK_PROFILE = Path("/usr/share/scribus/profiles/ISOcoated_v2_300_bas.icc")
CMYK_PROFILE_PACKAGE = "scribus-data"
OUTPUT_CONDITION = "FOGRA39"  # the characterization data the profile was made from, as printers name it
OUTPUT_CONDITION_REGISTRY = "http://www.color.org"  # where FOGRA39 is registered (ICC's registry)


def require_cmyk_profile(options: BuildOptions) -> None:
    """Fail before any work when the PDF/X asked for cannot have its output intent."""
    if options.pdfx:
        _require_cmyk_profile()


def _require_cmyk_profile() -> None:
    if not CMYK_PROFILE.is_file():
        raise UsageError(
            f"--pdf-variant x4 needs the CMYK profile {CMYK_PROFILE}, which is not installed "
            f"(Debian package {CMYK_PROFILE_PACKAGE}; ./.ci/install-system-deps runtime installs it)"
        )


def with_output_intent(rendered: Rendered) -> Rendered:
    """A copy of `rendered` whose PDF takes the CMYK profile as its output intent."""
    from weasyprint import CSS  # start-up time: WeasyPrint only when a PDF/X is written

    from .fetch import ConfinedFetcher  # start-up time: it imports WeasyPrint

    _require_cmyk_profile()
    profiles: dict = {}
    rule = (f"@color-profile device-cmyk {{ src: url({CMYK_PROFILE.as_uri()}); "
            "components: cyan, magenta, yellow, black; }")
    CSS(string=rule, url_fetcher=ConfinedFetcher([CMYK_PROFILE]), color_profiles=profiles)  # that file, no other
    if "device-cmyk" not in profiles:  # WeasyPrint skips a profile it cannot read, with a warning
        raise OutputError(f"{CMYK_PROFILE}: not an ICC profile WeasyPrint can read; reinstall {CMYK_PROFILE_PACKAGE}")
    final = rendered.copy()
    final.color_profiles = {**rendered.color_profiles, **profiles}  # not the layouts' own dict
    return final


Finisher = Callable[["Rendered", object], None]  # WeasyPrint's hook on the PDF before it is written


def finisher(options: BuildOptions, identifier: bytes, structure: dict | None = None) -> Finisher:
    """What is set on the PDF after WeasyPrint and before it is written (see `write_pdf(finisher=)`):
    the bleed boxes, PDF/X's output condition and document ID, and the structure tree repaired
    (`structure`: the boxes `structure.recording` kept)."""
    bleed = length_points(options.bleed) if options.bleed else 0.0

    def finish(rendered: Rendered, pdf) -> None:  # noqa: ANN001 - a pydyf.PDF
        _exact_bleed_boxes(pdf, bleed)
        if structure is not None and "StructTreeRoot" in pdf.catalog:
            repair(pdf, structure)
        if options.pdfx:
            _name_output_condition(pdf)
            _repeatable_document_id(pdf, identifier)

    return finish


def _pages(pdf) -> list:  # noqa: ANN001
    return [obj for obj in pdf.objects if isinstance(obj, dict) and obj.get("Type") == "/Page"]


def _exact_bleed_boxes(pdf, bleed: float) -> None:  # noqa: ANN001
    """Each page's BleedBox as its TrimBox plus the bleed asked for, on every side.

    WeasyPrint's BleedBox stops 10 pt past the trim whatever the bleed, and equals the MediaBox when
    marks widen the page without a bleed; a printer reads it as where the artwork ends."""
    for page in _pages(pdf):
        left, top, right, bottom = page["TrimBox"]
        page["BleedBox"] = type(page["TrimBox"])([left - bleed, top - bleed, right + bleed, bottom + bleed])


def _name_output_condition(pdf) -> None:  # noqa: ANN001
    """The output intent named by its registered condition (FOGRA39), which a printer's preflight
    matches, rather than by the profile's description (WeasyPrint's choice)."""
    import pydyf  # start-up time: WeasyPrint's PDF library, only when a PDF/X is written

    for intent in pdf.catalog.get("OutputIntents", ()):
        intent["OutputConditionIdentifier"] = pydyf.String(OUTPUT_CONDITION)
        intent["RegistryName"] = pydyf.String(OUTPUT_CONDITION_REGISTRY)
        intent["OutputCondition"] = pydyf.String("Offset printing on coated paper (ISO 12647-2), ISO Coated v2 300%")


_RANDOM_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _repeatable_document_id(pdf, identifier: bytes) -> None:  # noqa: ANN001
    """WeasyPrint's PDF/X-4 XMP has a random xmpMM:DocumentID: it is made from the book's
    identifier instead, so one source gives the same bytes every time."""
    digest = hashlib.sha256(identifier).hexdigest()
    document_id = f"xmp.did:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}".encode()
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]  # a reference: b"12 0 R"
    metadata.stream = [_RANDOM_DOCUMENT_ID.sub(document_id, part) for part in metadata.stream]
