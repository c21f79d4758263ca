"""A project published into a PostGIS schema and opened from it, against a real server on loopback."""

from dataclasses import replace

import pytest

from gisapp.core.model.style import SingleStyle, Symbol
from gisapp.core.plan.actuals import Actual
from gisapp.io.postgis.connection import PostgisError, connect
from gisapp.io.postgis.project import (
    PUBLISHED_KEY,
    open_published_project,
    publish_project,
    save_published_actuals,
)
from gisapp.io.postgis.source import table_ref
from gisapp.io.postgis.styles import default_table_style
from tests.io.test_project_gpkg import assert_projects_equal, small_project

HOSTILE_SCHEMA = 'team"; DROP SCHEMA public CASCADE; --'


def _with_actuals(project):
    indicator = project.indicators.indicators[0].id
    project.indicators.actuals.replace_all([Actual(indicator, 2021, 10.0), Actual(indicator, 2022, 12.5, note="估计")])
    return project, indicator


def test_a_published_project_opens_as_the_same_project_with_postgis_layers(postgis_db):
    project, _ = _with_actuals(small_project())
    summary = publish_project(project, postgis_db, "plan")
    assert set(summary.tables) == {"zones", "points", "hidden"} and not summary.left_out
    reopened = open_published_project(_in_schema(postgis_db, "plan"))
    assert_projects_equal(project, reopened)
    assert [vars(a) for a in reopened.indicators.actuals.records()] == \
        [vars(a) for a in project.indicators.actuals.records()]
    assert not reopened.modified and "path" not in reopened.metadata
    assert reopened.metadata[PUBLISHED_KEY]["schema"] == "plan"
    assert postgis_db.password not in reopened.metadata[PUBLISHED_KEY]["url"]
    zones = reopened.layer("zones")
    ref = table_ref(zones)
    assert (ref.schema, ref.table, ref.primary_key) == ("plan", "zones", "fid")
    assert zones.stored.frame is zones.frame and zones.stored.fids.tolist() == [1, 2]
    with connect(postgis_db) as con:
        # A primary key and a spatial index on every layer table; a typed geometry column
        # where every feature has one type (QGIS lists it as one layer).
        indexes = dict(con.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'plan' AND tablename = 'points'").fetchall())
        assert any("PRIMARY KEY" in d or "pkey" in n for n, d in indexes.items())
        assert any("gist" in d for d in indexes.values())
        kind = con.execute("SELECT type FROM geometry_columns WHERE f_table_schema = 'plan' "
                           "AND f_table_name = 'points'").fetchone()[0]
        assert kind == "POINT"
        style = default_table_style(con, "plan", "zones", "geom")
    assert style is not None and "<renderer-v2" in style.qml and "StyledLayerDescriptor" in style.sld


def _in_schema(spec, schema):
    return replace(spec, schema=schema)


def test_publishing_again_needs_overwrite_and_keeps_a_colleagues_table(postgis_db, postgis_server):
    publish_project(small_project(), postgis_db, "plan")
    postgis_server.sql("CREATE TABLE plan.colleague_notes (id int PRIMARY KEY, note text); "
                       "INSERT INTO plan.colleague_notes VALUES (1, 'keep me')", postgis_db.dbname)
    with pytest.raises(PostgisError, match="published there already"):
        publish_project(small_project(), postgis_db, "plan")
    changed = small_project()
    changed.layers = [layer for layer in changed.layers if layer.id != "hidden"]
    changed.layer("zones").style = SingleStyle(Symbol(fill="#123456"))
    publish_project(changed, postgis_db, "plan", overwrite=True)
    reopened = open_published_project(_in_schema(postgis_db, "plan"))
    assert [layer.id for layer in reopened.layers] == [layer.id for layer in changed.layers]
    assert reopened.layer("zones").style.to_dict() == changed.layer("zones").style.to_dict()
    with connect(postgis_db) as con:
        assert con.execute("SELECT note FROM plan.colleague_notes").fetchone()[0] == "keep me"
        assert con.execute("SELECT to_regclass('plan.hidden')").fetchone()[0] is None  # gisapp's own, gone


def test_actuals_entered_by_two_planners_are_both_kept(postgis_db):
    project, indicator = _with_actuals(small_project())
    publish_project(project, postgis_db, "plan")
    spec = _in_schema(postgis_db, "plan")
    alice, bob = open_published_project(spec), open_published_project(spec)
    alice_read = alice.indicators.actuals.records()
    bob_read = bob.indicators.actuals.records()
    alice.indicators.actuals.set_value(indicator, 2023, 14.0)
    bob.indicators.actuals.set_value(indicator, 2024, 15.0)
    bob.indicators.actuals.set_value(indicator, 2021, None)  # a correction of a published value
    save_published_actuals(spec, "plan", alice.indicators.actuals.records(), alice_read)
    on_server = save_published_actuals(spec, "plan", bob.indicators.actuals.records(), bob_read)
    assert {(a.year, a.value) for a in on_server} == {(2021, None), (2022, 12.5), (2023, 14.0), (2024, 15.0)}
    # A third planner opening now sees both.
    carol = open_published_project(spec)
    assert {(a.year, a.value) for a in carol.indicators.actuals.records()} == {
        (2021, None), (2022, 12.5), (2023, 14.0), (2024, 15.0)}


def test_hostile_schema_names_are_names(postgis_db):
    publish_project(small_project(), postgis_db, HOSTILE_SCHEMA)
    reopened = open_published_project(_in_schema(postgis_db, HOSTILE_SCHEMA))
    assert [layer.id for layer in reopened.layers] == [layer.id for layer in small_project().layers]
    with connect(postgis_db) as con:
        assert con.execute("SELECT to_regnamespace('public')").fetchone()[0] is not None


def test_an_unpublished_schema_and_a_damaged_one_say_what_is_wrong(postgis_db, postgis_server):
    with pytest.raises(PostgisError, match="no project is published"):
        open_published_project(_in_schema(postgis_db, "nothing"))
    publish_project(small_project(), postgis_db, "plan")
    postgis_server.sql("UPDATE plan.gisapp_project SET value = '{not json' WHERE key = 'layers'", postgis_db.dbname)
    with pytest.raises(PostgisError, match="layers: not valid JSON") as damaged:
        open_published_project(_in_schema(postgis_db, "plan"))
    assert "schema plan" in str(damaged.value)


def test_a_role_without_create_is_told_that_publishing_needs_it(postgis_db, postgis_server):
    postgis_server.sql("CREATE ROLE editor LOGIN PASSWORD 'pw'", postgis_db.dbname)
    postgis_server.sql(f"REVOKE CREATE ON DATABASE {postgis_db.dbname} FROM PUBLIC; "
                       "REVOKE CREATE ON SCHEMA public FROM PUBLIC", postgis_db.dbname)
    editor = replace(postgis_db, user="editor", password="pw", schema="plan")
    with pytest.raises(PostgisError, match="publishing needs CREATE"):
        publish_project(small_project(), editor, "plan")
    # Nothing was left half-written.
    with connect(postgis_db) as con:
        assert con.execute("SELECT to_regnamespace('plan')").fetchone()[0] is None


def test_a_default_style_a_qgis_user_saved_later_is_the_one_opened(postgis_db):
    from gisapp.io.qgis.qml import style_to_qml

    publish_project(small_project(), postgis_db, "plan")
    colleague = style_to_qml(SingleStyle(Symbol(fill="#22aa44")), "polygon")
    with connect(postgis_db) as con:
        # As QGIS's "Save as default in the database" does: the new row is the default.
        con.execute("UPDATE public.layer_styles SET useasdefault = false WHERE f_table_name = 'zones'")
        con.execute("INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                    "stylename, styleqml, useasdefault, update_time) VALUES (%s, 'plan', 'zones', 'geom', 'green', "
                    "XMLPARSE(DOCUMENT %s), true, now() + interval '1 minute')", (postgis_db.dbname, colleague))
        con.commit()
    reopened = open_published_project(_in_schema(postgis_db, "plan"))
    zones = reopened.layer("zones")
    assert isinstance(zones.style, SingleStyle) and zones.style.symbol.fill == "#22aa44"
    assert zones.metadata.get("qgis_style") == "green"
    # The other tables keep the style gisapp published.
    assert reopened.layer("points").style.to_dict() == small_project().layer("points").style.to_dict()


def test_an_editor_with_only_select_insert_update_delete_opens_and_shares_actuals(postgis_db, postgis_server):
    project, indicator = _with_actuals(small_project())
    publish_project(project, postgis_db, "plan")
    postgis_server.sql("CREATE ROLE planner LOGIN PASSWORD 'pw'; GRANT USAGE ON SCHEMA plan TO planner; "
                       "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA plan TO planner; "
                       "GRANT SELECT ON public.layer_styles TO planner", postgis_db.dbname)
    planner = replace(postgis_db, user="planner", password="pw", schema="plan")
    opened = open_published_project(planner)
    assert [layer.id for layer in opened.layers] == [layer.id for layer in project.layers]
    read = opened.indicators.actuals.records()
    opened.indicators.actuals.set_value(indicator, 2030, 20.0)
    on_server = save_published_actuals(planner, "plan", opened.indicators.actuals.records(), read)
    assert (2030, 20.0) in {(a.year, a.value) for a in on_server}
    with pytest.raises(PostgisError, match="publishing needs CREATE"):
        publish_project(project, planner, "plan", overwrite=True)
