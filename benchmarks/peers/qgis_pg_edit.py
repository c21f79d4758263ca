"""Peer: QGIS's PostGIS provider editing the same shared table as gisapp's benchmark.

usage: /usr/bin/python3 qgis_pg_edit.py commit CONNINFO SCHEMA TABLE DX DY KEY...
       /usr/bin/python3 qgis_pg_edit.py editor CONNINFO SCHEMA TABLE SECONDS SEED HOT LOG

The password comes from PGPASSWORD (libpq reads it), never from the command line.

commit: the table as a QgsVectorLayer (postgres provider, key 'gid'), the listed features
moved by (DX, DY) with changeGeometry in its edit buffer, then commitChanges(); prints the
seconds of commitChanges alone.

editor: one designer for SECONDS, as gisapp's editor processes do: the table read into a
copy (and read again now and then), 1 to 3 attribute edits of features from the copy (most
among the first HOT keys), commitChanges. QGIS has no row versions, so it overwrites what
others saved since its copy was read; every commit is logged (key and the version the copy
had, a JSON line per edit) so the benchmark can count the updates it lost.
"""
import json
import os
import random
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from qgis.core import QgsApplication, QgsFeatureRequest, QgsVectorLayer  # noqa: E402

app = QgsApplication([], True)
app.initQgis()
mode, conninfo, schema, table = sys.argv[1:5]
uri = f"{conninfo} key='gid' srid=4326 type=Polygon checkPrimaryKeyUnicity='0' table=\"{schema}\".\"{table}\" (geom)"
layer = QgsVectorLayer(uri, table, "postgres")
assert layer.isValid(), layer.error().summary()


def features(expression=None):
    request = QgsFeatureRequest()
    if expression:
        request.setFilterExpression(expression)
    return list(layer.getFeatures(request))


if mode == "commit":
    dx, dy = float(sys.argv[5]), float(sys.argv[6])
    keys = [int(k) for k in sys.argv[7:]]
    chosen = features(f'"gid" IN ({",".join(map(str, keys))})')
    assert len(chosen) == len(keys)
    layer.startEditing()
    for feature in chosen:
        geometry = feature.geometry()
        geometry.translate(dx, dy)
        assert layer.changeGeometry(feature.id(), geometry)
    start = time.perf_counter()
    assert layer.commitChanges(), layer.commitErrors()
    print(f"features={len(keys)} commit_s={time.perf_counter() - start:.4f}")
    sys.exit(0)

seconds, seed, hot, log_path = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
rng = random.Random(seed)
name_index, far_index = layer.fields().indexOf("name"), layer.fields().indexOf("far")


def read_copy():
    return {int(f["gid"]): (f.id(), int(f["gisapp_version"])) for f in features()}


copy = read_copy()
commits = edits = 0
deadline = time.monotonic() + seconds
with open(log_path, "w", encoding="utf-8") as log:
    while time.monotonic() < deadline:
        keys = sorted(copy)
        hot_keys = [k for k in keys if k <= hot]
        chosen = {rng.choice(hot_keys if hot_keys and rng.random() < 0.7 else keys) for _ in range(rng.randint(1, 3))}
        layer.startEditing()
        for key in chosen:
            fid, _ = copy[key]
            if rng.random() < 0.5:
                layer.changeAttributeValue(fid, far_index, round(rng.random() * 10, 3))
            else:
                layer.changeAttributeValue(fid, name_index, f"qgis{seed} {rng.randint(0, 10**6)}")
        if not layer.commitChanges():
            layer.rollBack()
            continue
        commits += 1
        edits += len(chosen)
        for key in sorted(chosen):
            fid, seen = copy[key]
            log.write(json.dumps({"key": key, "seen": seen}) + "\n")
            copy[key] = (fid, seen + 1)  # what the copy shows after its own commit
        if rng.random() < 0.2:
            copy = read_copy()
print(f"commits={commits} edits={edits}")
