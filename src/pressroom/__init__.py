"""pressroom: one interview source, three editions (PDF, EPUB 3, DOCX)."""

__version__ = "0.1.0"
