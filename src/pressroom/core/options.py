"""Every build setting and its default, in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

from .errors import UsageError

STYLES_DIR = Path(__file__).resolve().parents[3] / "styles"  # the repository's styles/ folder
FALLBACK_DATE = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest date a zip entry can hold


@dataclass(frozen=True)
class BuildOptions:
    """How the editions are made.

    styles_dir: where print.css, epub.css and reference.docx are read from
                (nothing outside it and the source's folder is ever read).
    timestamp:  the date every edition records as its creation and modification
                date; see `build_timestamp`. Never the clock, so builds repeat.
    The print-only settings (trim, pdf_variant, bleed, marks) are described beside them.
    """

    styles_dir: Path = STYLES_DIR
    timestamp: datetime = FALLBACK_DATE
    trim: str = "6in 9in"  # the print page, as CSS `size`; see `parse_trim`
    pdf_variant: str = "a"  # "a": tagged PDF/A-3a with the source attached; "ua": PDF/UA-1; "x4": PDF/X-4; "none"
    bleed: str | None = None  # e.g. "3mm": the print page extended beyond the trim
    marks: tuple[str, ...] = ()  # "crop" and/or "cross": printer's marks in the bleed
    paper: str = "white"  # the print edition's paper (a key of PAPER_THICKNESS): how wide the cover's spine is

    @property
    def pdf_standard(self) -> str | None:
        """The standard the PDF is written to, as WeasyPrint names it ("pdf/a-3a"); None for none."""
        return PDF_VARIANTS[self.pdf_variant]

    @property
    def pdfa(self) -> bool:
        """Whether the PDF is the archival copy (PDF/A-3a), which carries its sources attached."""
        return self.pdf_standard == "pdf/a-3a"

    @property
    def tagged_pdf(self) -> bool:
        """Whether the PDF carries a structure tree: every variant but none (PDF/A-3a and PDF/UA require one)."""
        return self.pdf_standard is not None

    @property
    def pdfx(self) -> bool:
        """Whether the PDF is for a printer's press (PDF/X): CMYK pictures and black, an output intent."""
        return (self.pdf_standard or "").startswith("pdf/x")


PDF_VARIANTS = MappingProxyType({"a": "pdf/a-3a", "ua": "pdf/ua-1", "x4": "pdf/x-4", "none": None})  # x4: see pdfx.py
# Inches a page adds to the spine: KDP's figures (its paperback cover help and cover calculator; white
# also for standard colour). One figure for every paper prints spines too wide (yegor256/kdpcover#64).
PAPER_THICKNESS = MappingProxyType({"white": 0.002252, "cream": 0.0025, "color": 0.002347})
_NAMED_TRIMS = MappingProxyType({"a4": "A4", "a5": "A5", "b5": "B5", "letter": "letter", "6x9": "6in 9in"})
_TRIM = re.compile(r"(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt)")
_LENGTH = re.compile(r"\d+(?:\.\d+)?(in|mm|cm|pt)")


def parse_trim(text: str) -> str:
    """'a5' -> 'A5'; '5.5x8.5in' -> '5.5in 8.5in': the CSS `size` of a trim."""
    text = text.strip().lower()
    if text in _NAMED_TRIMS:
        return _NAMED_TRIMS[text]
    match = _TRIM.fullmatch(text)
    if not match:
        known = ", ".join(_NAMED_TRIMS)
        raise UsageError(f"trim '{text}' is neither a size such as 5.5x8.5in or 148x210mm nor one of {known}")
    width, height, unit = match.groups()
    return f"{width}{unit} {height}{unit}"


_POINTS_PER = MappingProxyType({"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0})
# CSS page sizes
_NAMED_SIZES = MappingProxyType({"A4": "210mm 297mm", "A5": "148mm 210mm", "B5": "176mm 250mm", "letter": "8.5in 11in"})


def trim_points(trim: str) -> tuple[float, float]:
    """'6in 9in' -> (432.0, 648.0): a trim as `parse_trim` gives it, as width and height in points
    (for editions that set their page themselves, as the DOCX does; CSS reads the named sizes itself)."""
    sizes = _NAMED_SIZES.get(trim, trim).split()
    return tuple(float(size[:-2]) * _POINTS_PER[size[-2:]] for size in sizes)  # type: ignore[return-value]


def length_points(length: str) -> float:
    """'0.125in' -> 9.0: a length as `parse_length` gives it, in points."""
    return float(length[:-2]) * _POINTS_PER[length[-2:]]


def parse_paper(text: str) -> str:
    if text not in PAPER_THICKNESS:
        raise UsageError(f"unknown paper '{text}' (known: {', '.join(PAPER_THICKNESS)})")
    return text


def parse_length(text: str, what: str) -> str:
    if not _LENGTH.fullmatch(text.strip()):
        raise UsageError(f"{what} '{text}' must be a length such as 3mm or 0.125in")
    return text.strip()


def parse_marks(text: str) -> tuple[str, ...]:
    marks = tuple(mark.strip() for mark in text.split(",") if mark.strip())
    unknown = [mark for mark in marks if mark not in ("crop", "cross")]
    if unknown:
        raise UsageError(f"unknown mark '{unknown[0]}' (known: crop, cross)")
    return marks


def parse_pdf_variant(text: str) -> str:
    if text not in PDF_VARIANTS:
        raise UsageError(f"unknown PDF variant '{text}' (known: {', '.join(PDF_VARIANTS)})")
    return text


def parse_source_date_epoch(text: str | None) -> datetime | None:
    """SOURCE_DATE_EPOCH's value (whole seconds since 1970, UTC) as the instant every edition records;
    None when it is unset or empty. The command reads it once and passes the instant down."""
    if not text:
        return None
    try:
        return datetime.fromtimestamp(int(text), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{text}'") from None


def build_timestamp(front_date: date | None, epoch: datetime | None = None) -> datetime:
    """`epoch` (SOURCE_DATE_EPOCH's instant, see `parse_source_date_epoch`) if given, else the front
    matter's date, else 1980-01-01 (UTC)."""
    if epoch is not None:
        return epoch
    if front_date is not None:
        return datetime(front_date.year, front_date.month, front_date.day, tzinfo=UTC)
    return FALLBACK_DATE
