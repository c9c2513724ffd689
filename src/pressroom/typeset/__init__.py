"""Typesetting: the model as XHTML, laid out by WeasyPrint and fitted as a typesetter would, the page
breaks and hyphenation that follow from the layout, PDF variants, printers' presets, the cover, the proof."""
