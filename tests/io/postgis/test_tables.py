"""PostGIS connections and geometry tables against a real server on loopback."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.io.postgis.connection import ConnectionSpec, PostgisError, connect, parse_url
from gisapp.io.postgis.tables import list_tables, read_table, table_info, write_table

HOSTILE_SCHEMA = 'plan"; DROP TABLE x; --'
HOSTILE_TABLE = "zones'); DELETE FROM pg_class; --"
HOSTILE_COLUMN = 'name" text); --'


def _frame():
    return gpd.GeoDataFrame(
        {"name_zh": ["北区", "南区", None], "area_ha": [12.5, np.nan, 3.0],
         "year": pd.array([2021, None, 2024], dtype="Int64"), HOSTILE_COLUMN: ["a", "b", "c"]},
        geometry=[shapely.box(121.5, 38.8, 121.6, 38.9), shapely.Point(121.55, 38.85), None],
        crs="EPSG:4326")


def test_a_frame_written_with_hostile_names_reads_back_the_same(postgis_db):
    with connect(postgis_db) as con:
        info = write_table(con, HOSTILE_SCHEMA, HOSTILE_TABLE, _frame())
        con.commit()
        listed = list_tables(con, HOSTILE_SCHEMA)
        assert [(t.table, t.geometry_column, t.srid, t.primary_key) for t in listed] == [
            (HOSTILE_TABLE, "geom", 4326, "gid")]
        back = read_table(con, table_info(con, HOSTILE_SCHEMA, HOSTILE_TABLE))
        # No statement ran as SQL text: pg_class and every table are still there.
        assert con.execute("SELECT count(*) FROM pg_class").fetchone()[0] > 100
    assert info.table == HOSTILE_TABLE
    assert list(back.columns) == ["gid", "name_zh", "area_ha", "year", HOSTILE_COLUMN, "geometry"]
    assert back["gid"].tolist() == [1, 2, 3]
    assert back["name_zh"].tolist()[:2] == ["北区", "南区"] and back["name_zh"].iloc[2] is None
    assert back["area_ha"].iloc[0] == 12.5 and np.isnan(back["area_ha"].iloc[1])
    assert back["year"].tolist()[0] == 2021 and back["year"].isna().tolist() == [False, True, False]
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].equals(shapely.box(121.5, 38.8, 121.6, 38.9))
    assert back.geometry.iloc[2] is None


def test_an_existing_table_is_not_overwritten_unless_asked(postgis_db):
    with connect(postgis_db) as con:
        write_table(con, "plan", "zones", _frame())
        with pytest.raises(PostgisError, match="exists already"):
            write_table(con, "plan", "zones", _frame())
        con.rollback()
        write_table(con, "plan", "zones", _frame())
        write_table(con, "plan", "zones", _frame().iloc[:1], replace=True)
        assert con.execute('SELECT count(*) FROM plan.zones').fetchone()[0] == 1


def test_the_password_comes_from_pgpass_when_the_dialog_has_none(postgis_server, postgis_db, tmp_path,
                                                                  monkeypatch):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{postgis_server.port}:*:postgres:{postgis_server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with connect(postgis_db.with_password(None)) as con:
        assert con.execute("SELECT current_user").fetchone()[0] == "postgres"
    service = tmp_path / "pg_service.conf"
    service.write_text(f"[plan]\nhost=127.0.0.1\nport={postgis_server.port}\ndbname={postgis_db.dbname}\n"
                       "user=postgres\nsslmode=disable\n")
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    with connect(ConnectionSpec(service="plan", port=0)) as con:
        assert con.execute("SELECT current_database()").fetchone()[0] == postgis_db.dbname


def test_refusals_and_a_stopped_server_say_what_is_wrong(postgis_server, postgis_db, monkeypatch, tmp_path):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    with pytest.raises(PostgisError, match="refused the user name or password"):
        connect(postgis_db.with_password("wrong"))
    with pytest.raises(PostgisError, match="asks for a password"):
        connect(postgis_db.with_password(None))
    with pytest.raises(PostgisError, match="does not exist"):
        connect(postgis_server.spec("no_such_db"))
    closed = ConnectionSpec(host="127.0.0.1", port=1, dbname="x", user="u", sslmode="disable", password="p")
    with pytest.raises(PostgisError, match="no server answers") as refused:
        connect(closed)
    assert "127.0.0.1:1/x" in str(refused.value)


def test_urls_round_trip_without_the_password():
    spec = parse_url("postgresql://me:secret@10.0.0.5:6543/plan%20db?schema=team")
    assert (spec.user, spec.password, spec.port, spec.dbname, spec.schema) == ("me", "secret", 6543, "plan db", "team")
    assert "secret" not in spec.url() and parse_url(spec.url()) == spec
    for bad in ("http://x/db", "postgresql://host/db?scheme=x", "postgresql://host/db?sslmode=sometimes",
                "postgresql://host"):
        with pytest.raises(ValueError):
            parse_url(bad)


def test_a_table_opens_as_a_layer_whose_keys_are_its_stored_ids(postgis_db):
    from gisapp.io.postgis.source import open_postgis_layer, table_ref

    with connect(postgis_db) as con:
        write_table(con, "plan", "zones", _frame())
        con.commit()
        layer = open_postgis_layer(con, postgis_db, table_info(con, "plan", "zones"))
    assert "gid" not in layer.frame.columns and layer.stored.fids.tolist() == [1, 2, 3]
    assert layer.stored.versions is None  # not prepared for team editing
    assert layer.label_field == "name_zh" and layer.geometry_family == "polygon"
    ref = table_ref(layer)
    assert (ref.schema, ref.table, ref.primary_key) == ("plan", "zones", "gid")
    assert postgis_db.password not in ref.url and ref.spec().dbname == postgis_db.dbname


def test_a_table_read_in_batches_equals_one_read_in_one_go(postgis_db, monkeypatch):
    from psycopg import sql

    from gisapp.io.postgis import tables

    frame = pd.concat([_frame()] * 3, ignore_index=True)
    with connect(postgis_db) as con:
        write_table(con, "plan", "zones", frame)
        info = table_info(con, "plan", "zones")
        whole = read_table(con, info)
        monkeypatch.setattr(tables, "READ_BATCH_ROWS", 2)  # 9 rows: five fetches
        batched = read_table(con, info)
        none = read_table(con, info, sql.SQL("gid < 0"))
    assert len(whole) == 9 and whole.equals(batched) and list(batched.dtypes) == list(whole.dtypes)
    assert batched.geometry.name == "geometry" and batched.crs.to_epsg() == 4326
    assert len(none) == 0 and list(none.columns) == list(whole.columns)
    assert str(none["year"].dtype) == "Int64" and str(none["area_ha"].dtype) == "float64"
