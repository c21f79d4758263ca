"""PostgreSQL/PostGIS: connections, geometry tables, and (built on them) published projects and
team editing with conflict detection, live changes and history."""
