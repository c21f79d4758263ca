"""XML from other people's files (QML, SLD, QGIS projects), parsed without entity expansion.

defusedxml refuses entity declarations (the "billion laughs" bomb) and external entities,
and a size limit keeps a huge file from being read into memory at all.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree

MAX_XML_BYTES = 64 * 1024 * 1024  # a QGIS project with thousands of categories stays far below


class XmlRefused(ValueError):
    """The text is not XML gisapp will read; ``str()`` says why in plain words."""


def parse_xml(text: str | bytes) -> ET.Element:
    """The root element of ``text``; raises :class:`XmlRefused` saying what is wrong."""
    if len(text) > MAX_XML_BYTES:
        raise XmlRefused(f"the file is too large ({len(text) / 2**20:.0f} MB; at most "
                         f"{MAX_XML_BYTES // 2**20} MB of XML are read)")
    if isinstance(text, str):
        text = text.lstrip("\ufeff")
    try:
        return defusedxml.ElementTree.fromstring(text)
    except defusedxml.DefusedXmlException as exc:
        raise XmlRefused(f"the XML declares entities ({type(exc).__name__}), which gisapp refuses "
                         "to expand") from None
    except ET.ParseError as exc:
        raise XmlRefused(f"not valid XML ({exc})") from None
    except RecursionError:
        raise XmlRefused("the XML is nested too deeply") from None
