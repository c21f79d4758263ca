"""WMTS capabilities documents for the tests, shaped like those real servers publish."""

from __future__ import annotations

CORNER = "-20037508.3427892 20037508.3427892"


def _matrices(prefix: str, zooms: range, scale0: float = 559082264.0287178, corner: str = CORNER) -> str:
    return "".join(
        f"<TileMatrix><ows:Identifier>{prefix}{z}</ows:Identifier><ScaleDenominator>{scale0 / 2 ** z!r}"
        f"</ScaleDenominator><TopLeftCorner>{corner}</TopLeftCorner><TileWidth>256</TileWidth>"
        f"<TileHeight>256</TileHeight><MatrixWidth>{2 ** z}</MatrixWidth><MatrixHeight>{2 ** z}</MatrixHeight>"
        "</TileMatrix>" for z in zooms)


def capabilities(get_tile_url: str) -> bytes:
    """Two layers: ``plan_roads`` in a GoogleMapsCompatible set with EPSG:3857:N identifiers and
    a CGCS2000 set; ``cgcs_only`` in the CGCS2000 set alone."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
    xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
 <ows:ServiceIdentification><ows:Title>Loopback WMTS 测试</ows:Title></ows:ServiceIdentification>
 <ows:OperationsMetadata>
  <ows:Operation name="GetTile"><ows:DCP><ows:HTTP><ows:Get xlink:href="{get_tile_url}?">
   <ows:Constraint name="GetEncoding"><ows:AllowedValues><ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint>
  </ows:Get></ows:HTTP></ows:DCP></ows:Operation>
 </ows:OperationsMetadata>
 <Contents>
  <Layer><ows:Title>规划道路 Plan roads</ows:Title><ows:Identifier>plan_roads</ows:Identifier>
   <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
   <Format>image/jpeg</Format><Format>image/png</Format>
   <TileMatrixSetLink><TileMatrixSet>GoogleMapsCompatible</TileMatrixSet></TileMatrixSetLink>
   <TileMatrixSetLink><TileMatrixSet>CGCS2000</TileMatrixSet></TileMatrixSetLink>
  </Layer>
  <Layer><ows:Title>Lon/lat only</ows:Title><ows:Identifier>cgcs_only</ows:Identifier>
   <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>
   <TileMatrixSetLink><TileMatrixSet>CGCS2000</TileMatrixSet></TileMatrixSetLink>
  </Layer>
  <TileMatrixSet><ows:Identifier>GoogleMapsCompatible</ows:Identifier>
   <ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>{_matrices("EPSG:3857:", range(0, 19))}
  </TileMatrixSet>
  <TileMatrixSet><ows:Identifier>CGCS2000</ows:Identifier>
   <ows:SupportedCRS>urn:ogc:def:crs:EPSG::4490</ows:SupportedCRS>{_matrices("", range(1, 19), 295829355.45, "90 -180")}
  </TileMatrixSet>
 </Contents>
</Capabilities>""".encode()
