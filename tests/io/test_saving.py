"""Saving: read-only files and folders are refused, permission bits are kept, and a full disk
says "disk full" and leaves the previous file intact (tried for real under RLIMIT_FSIZE)."""

import os
import signal
import stat
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely
from damaged_projects import saved_project, small_project

from gisapp.core.model.layer import VectorLayer
from gisapp.io.atomic import DiskFullError, ReadOnlyError, atomic_path
from gisapp.io.export_layer import export_layer
from gisapp.io.project_gpkg import load_project, save_project


def mode_of(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_read_only_file_is_not_replaced(tmp_path):
    path = saved_project(tmp_path)
    before = path.read_bytes()
    path.chmod(0o444)
    with pytest.raises(ReadOnlyError, match=r"plan.gpkg: the file is read-only \(-r--r--r--\) and was not changed"):
        save_project(small_project(), path)
    assert path.read_bytes() == before and mode_of(path) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["plan.gpkg"]


def test_a_read_only_folder_is_refused_before_writing(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ReadOnlyError, match=f"the folder {folder} is read-only"):
            save_project(small_project(), folder / "plan.gpkg")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_saving_keeps_the_permission_bits(tmp_path, mode):
    path = saved_project(tmp_path)
    path.chmod(mode)
    project = load_project(path)
    zones = project.layer("zones")
    zones.set_frame(zones.frame.assign(name_en=["changed", *zones.frame["name_en"].iloc[1:]]))
    save_project(project, path)
    assert mode_of(path) == mode
    assert load_project(path).layer("zones").frame["name_en"].tolist() == ["changed", "B"]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_new_file_gets_the_umask_default(tmp_path, umask):
    old = os.umask(umask)
    try:
        save_project(small_project(), tmp_path / "plan.gpkg")
        with atomic_path(tmp_path / "page.html") as temp:
            temp.write_text("<p>map</p>")
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "plan.gpkg") == 0o666 & ~umask
    assert mode_of(tmp_path / "page.html") == 0o666 & ~umask


def test_saving_through_a_symbolic_link_replaces_the_file_it_points_to(tmp_path):
    real = saved_project(tmp_path, "real.gpkg")
    link = tmp_path / "plan.gpkg"
    link.symlink_to(real)
    project = load_project(link)
    zones = project.layer("zones")
    zones.set_frame(zones.frame.assign(name_en=["changed", *zones.frame["name_en"].iloc[1:]]))
    save_project(project, link)
    assert link.is_symlink()
    assert load_project(real).layer("zones").frame["name_en"].tolist() == ["changed", "B"]


def _layer():
    frame = gpd.GeoDataFrame({"name": ["甲"]}, geometry=[shapely.box(121.5, 38.8, 121.6, 38.9)], crs="EPSG:4326")
    return VectorLayer("zones", "区", "Zones", frame)


def test_export_refuses_a_read_only_target_and_keeps_the_modes_of_a_shapefile(tmp_path):
    geojson = tmp_path / "zones.geojson"
    geojson.write_text("{}")
    geojson.chmod(0o444)
    with pytest.raises(ReadOnlyError, match="zones.geojson: the file is read-only"):
        export_layer(_layer(), geojson)
    assert geojson.read_text() == "{}"
    shp = tmp_path / "zones.shp"
    export_layer(_layer(), shp)
    for suffix in (".shp", ".dbf"):
        shp.with_suffix(suffix).chmod(0o600)
    export_layer(_layer(), shp)
    assert mode_of(shp) == 0o600 and mode_of(shp.with_suffix(".dbf")) == 0o600
    shp.with_suffix(".dbf").chmod(0o444)
    shp_before = shp.read_bytes()
    with pytest.raises(ReadOnlyError, match="zones.dbf: the file is read-only"):
        export_layer(_layer(), shp)
    assert shp.read_bytes() == shp_before  # no new .shp beside the old attributes


# A child process with a file-size limit: writes beyond it fail with EFBIG, as a full disk
# fails with ENOSPC (SIGXFSZ ignored, or the kernel would end the process).
LIMITED_SAVE = r"""
import resource, signal, sys
from gisapp.io.catalogue import load_catalogue
from gisapp.io.errors import GisIOError
from gisapp.io.project_gpkg import save_project

project = load_catalogue()
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
try:
    save_project(project, sys.argv[1])
except GisIOError as exc:
    print(type(exc).__name__, exc, sep="|")
else:
    print("saved")
"""


def save_with_file_size_limit(path, limit):
    result = subprocess.run([sys.executable, "-c", LIMITED_SAVE, str(path), str(limit)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# 50 kB: SQLite's first pages are never written and GDAL says "no such table: gpkg_contents";
# 300 kB: GDAL says "Failed to commit transaction". Both are a full disk to the user.
@pytest.mark.parametrize("limit", [50_000, 300_000])
def test_a_full_disk_says_so_and_keeps_the_previous_file(tmp_path, limit):
    path = saved_project(tmp_path)
    before = path.read_bytes()
    out = save_with_file_size_limit(path, limit)
    assert out == ("DiskFullError|plan.gpkg: disk full: the file could not be written; the previous version "
                   "is unchanged. Free some space or save to another disk")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.gpkg"]  # no temporary files or probes left


@pytest.mark.parametrize("limit", [50_000, 300_000])
def test_a_new_file_on_a_full_disk_says_disk_full(tmp_path, limit):
    out = save_with_file_size_limit(tmp_path / "new.gpkg", limit)
    assert out.startswith("DiskFullError|new.gpkg: disk full:") and "no such table" not in out
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_reports_a_full_disk_in_one_line(tmp_path):
    def limit_file_size():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    out = tmp_path / "dalian.html"
    result = subprocess.run([sys.executable, "-m", "gisapp.cli", "export-web", str(out)], capture_output=True,
                            text=True, timeout=180, preexec_fn=limit_file_size)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [f"gisapp: error: dalian.html: {DiskFullError(out).problem}"]
    assert list(tmp_path.iterdir()) == []


def test_a_failure_that_is_not_a_full_disk_keeps_its_own_message(tmp_path):
    path = tmp_path / "page.html"
    with pytest.raises(ValueError, match="a bug"), atomic_path(path) as temp:
        temp.write_text("half")
        raise ValueError("a bug")
    assert list(tmp_path.iterdir()) == []
