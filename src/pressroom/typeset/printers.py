"""Printer presets: `--printer kdp|ingram|archive` makes the print PDF a printer asks for.

A preset sets the PDF variant, the bleed and the marks (and keeps the trim, 6 x 9 in by default,
which both printers offer). `--trim`, `--pdf-variant`, `--bleed` and `--marks` given with a
preset override it where the printer leaves the choice open, and are refused (a usage error,
exit 2) where they would break its rules: a file the printer would reject is not worth a build.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from ..core.errors import UsageError
from ..core.options import length_points, parse_length, parse_marks, parse_pdf_variant, parse_trim

DEFAULT_TRIM = "6x9"
DEFAULT_PDF_VARIANT = "a"


@dataclass(frozen=True)
class Printer:
    pdf_variant: str  # what the preset chooses
    bleed: str | None
    variants: tuple[str, ...]  # the variants the printer takes
    bleeds: tuple[str, ...] | None  # the bleeds it takes (None: any, or none; (): none)
    marks: bool  # whether printer's marks may be in the file
    rules: dict[str, str]  # option -> the printer's rule it would break, quoted in the refusal


TRADE_BLEED = "0.125in"  # the bleed KDP and IngramSpark ask for (3 mm is its metric match)

PRINTERS = MappingProxyType({
    # KDP takes a plain PDF: the archival copy's attached source is of no use to it (PDF/A or X is
    # accepted too). Nothing in a pressroom interior bleeds, and KDP's bleed (0.125 in) is on the
    # top, bottom and outer edges only, which one CSS bleed on all four sides is not.
    "kdp": Printer("none", None, variants=("none", "a", "ua", "x4"), bleeds=(), marks=False, rules={
        "--marks": "KDP forbids printer's marks (crop marks) in the interior file",
        "--bleed": "KDP wants a bleed (0.125in, outer edges only) only where something bleeds, "
                   "and nothing in a pressroom interior does",
    }),
    # IngramSpark asks for PDF/X-1a, X-3 or X-4 with a CMYK output intent, a 0.125 in (3 mm) bleed, no marks.
    "ingram": Printer("x4", TRADE_BLEED, variants=("x4",), bleeds=(TRADE_BLEED, "3mm"), marks=False, rules={
        "--marks": "IngramSpark asks for no printer's marks",
        "--pdf-variant": "IngramSpark asks for PDF/X (pressroom writes PDF/X-4: x4)",
        "--bleed": "IngramSpark asks for a bleed of 0.125in (3mm)",
    }),
    # The archival copy: tagged PDF/A-3a with the source attached, the default without a preset.
    "archive": Printer("a", None, variants=("a",), bleeds=None, marks=True, rules={
        "--pdf-variant": "the archival copy is PDF/A-3a, with its source attached (a)",
    }),
})


def print_settings(printer: str | None, trim: str | None, pdf_variant: str | None, bleed: str | None,
                   marks: str) -> dict:
    """BuildOptions' trim, pdf_variant, bleed and marks from the command line's options and preset."""
    chosen = _printer(printer) if printer else None
    settings = {
        "trim": parse_trim(trim or DEFAULT_TRIM),
        "pdf_variant": parse_pdf_variant(pdf_variant or (chosen.pdf_variant if chosen else DEFAULT_PDF_VARIANT)),
        "bleed": parse_length(bleed, "bleed") if bleed else (chosen.bleed if chosen else None),
        "marks": parse_marks(marks),
    }
    if chosen:
        _refuse_what_breaks(printer, chosen, settings)
    return settings


def _printer(name: str) -> Printer:
    if name not in PRINTERS:
        raise UsageError(f"unknown printer '{name}' (known: {', '.join(PRINTERS)})")
    return PRINTERS[name]


def _refuse_what_breaks(key: str, printer: Printer, settings: dict) -> None:
    broken = [
        ("--marks", ",".join(settings["marks"]), settings["marks"] and not printer.marks),
        ("--pdf-variant", settings["pdf_variant"], settings["pdf_variant"] not in printer.variants),
        ("--bleed", settings["bleed"],
         printer.bleeds is not None and not _bleed_among(settings["bleed"], printer.bleeds)),
    ]
    for option, value, breaks in broken:
        if breaks:
            raise UsageError(f"--printer {key} refuses {option} {value}: {printer.rules[option]}")


def _bleed_among(bleed: str | None, allowed: tuple[str, ...]) -> bool:
    if bleed is None:
        return not allowed
    return any(abs(length_points(bleed) - length_points(other)) < 0.01 for other in allowed)
