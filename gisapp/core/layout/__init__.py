"""Print layouts without Qt: pages, items in millimetres, templates, atlas pages, scale bar and north arrow."""
