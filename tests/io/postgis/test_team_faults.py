"""The server stops in the middle of a save: nothing is half-written, the edits survive, and
the retry after the restart writes them."""

import threading
import time

import pytest

from gisapp.io.postgis.connection import PostgisError, connect
from gisapp.io.postgis.team import ConnectionLost, transaction_committed
from tests.io.postgis.team_helpers import Editor, make_team_table

pytestmark = pytest.mark.xdist_group("postgis-own-server")


@pytest.fixture
def own_server():
    from tests.postgis_server import PostgisServer

    server = PostgisServer.start_new()
    yield server
    server.destroy()


def _rows(spec):
    with connect(spec) as con:
        return con.execute("SELECT gid, name, far, gisapp_version, ST_AsText(geom) FROM plan.zones ORDER BY gid").fetchall()


def _wait_for_sleep(spec, timeout_s=30.0):
    """Until a save is inside the stalling trigger (its transaction has written rows already)."""
    deadline = time.monotonic() + timeout_s
    with connect(spec, autocommit=True) as con:
        while time.monotonic() < deadline:
            row = con.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'").fetchone()
            if row[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the save never reached the stalling trigger")


def test_the_server_stopped_mid_save_leaves_nothing_half_written_and_the_retry_succeeds(own_server):
    spec = own_server.new_database()
    make_team_table(spec)
    # A trigger that stalls the insert, which the save sends after its updates and deletes.
    own_server.sql("CREATE FUNCTION plan.stall() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$", spec.dbname)
    own_server.sql("CREATE TRIGGER stall BEFORE INSERT ON plan.zones FOR EACH ROW EXECUTE FUNCTION plan.stall()",
                   spec.dbname)
    before = _rows(spec)
    editor = Editor(spec)
    editor.set(1, "name", "changed before the crash")
    editor.move(2, 0.003)
    editor.delete(3)
    editor.add("added before the crash", 2.5)
    errors = []

    def save():
        try:
            editor.save(comment="interrupted")
        except PostgisError as exc:
            errors.append(exc)

    saving = threading.Thread(target=save)
    saving.start()
    _wait_for_sleep(spec)
    own_server.stop("fast")
    saving.join(30)
    assert not saving.is_alive(), "the save hung after the server went away"
    (error,) = errors
    assert isinstance(error, ConnectionLost) and not error.during_commit
    assert "nothing was written" in str(error) and "retry" in str(error)
    assert "plan.zones" in str(error)
    pending = editor.rows.pending()
    assert len(pending.positions) == 3 and pending.deleted.tolist() == [3]  # the edits are kept
    # While the server is down the retry says so at once instead of hanging.
    started = time.monotonic()
    with pytest.raises(PostgisError, match="no server answers"):
        connect(spec)
    assert time.monotonic() - started < 15
    own_server.start()
    assert _rows(spec) == before  # nothing of the interrupted transaction is there
    assert transaction_committed(connect(spec), error.txid) is False
    own_server.sql("DROP TRIGGER stall ON plan.zones", spec.dbname)
    editor.con = connect(spec)
    result = editor.save(comment="retried")
    assert (result.updated, result.inserted, result.deleted) == (2, 1, 1)
    after = {gid: (name, version) for gid, name, _, version, _ in _rows(spec)}
    assert after[1] == ("changed before the crash", 2) and 3 not in after
    assert after[result.added_keys[0]] == ("added before the crash", 1)
    editor.close()


def test_the_listener_reports_a_lost_server_and_listens_again_after_the_restart(own_server):
    from gisapp.io.postgis.team import ChangeListener

    spec = own_server.new_database()
    make_team_table(spec)
    received, errors, listening = [], [], []
    listener = ChangeListener(spec, received.append, on_error=errors.append, retry_s=0.5,
                              on_listening=lambda: listening.append(time.monotonic()))
    assert listener.start()
    try:
        own_server.stop("fast")
        deadline = time.monotonic() + 20
        while not errors and time.monotonic() < deadline:
            time.sleep(0.05)
        assert errors, "the lost connection was not reported"
        assert not listener.listening
        own_server.start()
        deadline = time.monotonic() + 30
        while len(listening) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(listening) == 2  # listening again: the caller is told to read again
        editor = Editor(spec)
        editor.set(4, "name", "after the restart")
        editor.save()
        deadline = time.monotonic() + 15
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [(n.key, n.version) for n in received] == [(4, 2)]
        editor.close()
    finally:
        listener.stop()
