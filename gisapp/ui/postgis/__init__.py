"""PostGIS in the window: connections, the table browser, layers added from the server and
their edits saved back to it (queries run on the PostGIS worker thread, never the UI's)."""
