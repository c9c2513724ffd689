"""The source's front matter kept inside the DOCX edition, for `pressroom import` to read back.

The importer reads what the pages print (title, turns, mentions, imprint) from the pages, so an
editor's corrections in Word come back. What the pages do not print would be lost on the round
trip: an interviewer's `name:`, a speaker who never speaks, the order of `speakers:`, a source's
own `films:` and `people:` entries with their keys, aliases and sort keys. The source's YAML front
matter is therefore kept verbatim in a custom XML data part (ECMA-376 Part 1, 15.2.4), the place
the format gives applications for their own data: Word and LibreOffice keep it when they save
and show it nowhere. The importer trusts it only where it agrees with the pages. A turn's timecode,
which the pages never print, is kept as a bookmark around its label (Word and LibreOffice keep those).
"""

from __future__ import annotations

import uuid
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ..core.timecode import Timecode

ITEM = "customXml/item1.xml"
_PROPS = "customXml/itemProps1.xml"
_ITEM_RELS = "customXml/_rels/item1.xml.rels"
_NS = "urn:pressroom:source-front-matter"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def parts(front_matter: str, identifier: str) -> dict[str, bytes]:
    """The data part holding `front_matter` (the YAML between the source's fences), its
    properties part (a fixed item ID: the same source gives the same bytes) and their link."""
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"pressroom:docx-source:{identifier}")).upper() + "}"
    return {
        ITEM: (f'{_DECLARATION}<source xmlns="{_NS}">'
               f'<front-matter>{escape(front_matter)}</front-matter></source>').encode(),
        _PROPS: (f'{_DECLARATION}<ds:datastoreItem ds:itemID="{item_id}" '
                 'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
                 f'<ds:schemaRef ds:uri="{_NS}"/></ds:schemaRefs></ds:datastoreItem>').encode(),
        _ITEM_RELS: (f'{_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     f'<Relationship Id="rId1" Type="{_REL}customXmlProps" Target="itemProps1.xml"/>'
                     '</Relationships>').encode(),
    }


def relationship() -> str:
    """The main document's relationship to the data part (for word/_rels/document.xml.rels)."""
    return f'<Relationship Id="rIdPressroomSource" Type="{_REL}customXml" Target="../{ITEM}"/>'


def content_type() -> str:
    """The properties part's content type ([Content_Types].xml's default for .xml covers the item)."""
    return f'<Override PartName="/{_PROPS}" ContentType="{_PROPS_TYPE}"/>'


def front_matter_of(data: bytes) -> str | None:
    """The YAML kept in a data part, or None when the part is not pressroom's or is damaged."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    node = root.find(f"{{{_NS}}}front-matter")
    if root.tag != f"{{{_NS}}}source" or node is None:
        return None
    return node.text or ""


_TIMECODE_BOOKMARK = "pressroom_time_"  # pandoc writes a name Word accepts as it is (letters, digits, _)


def timecode_bookmark(timecode: Timecode) -> str:
    """The name of the bookmark around a timed turn's label: where the turn begins in the recording."""
    return f"{_TIMECODE_BOOKMARK}{timecode.milliseconds}"


def timecode_of_bookmark(name: str) -> Timecode | None:
    """The timecode a bookmark's name keeps, if it is one of pressroom's."""
    digits = name.removeprefix(_TIMECODE_BOOKMARK)
    return Timecode(int(digits)) if name.startswith(_TIMECODE_BOOKMARK) and digits.isdigit() else None
