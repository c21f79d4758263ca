"""Team editing on shared PostGIS tables: the conflict dialog, live changes from other
editors and the per-feature history panel."""
