"""A PostgreSQL cluster of the tests' own: initdb and pg_ctl from Debian's
postgresql package, in a temporary directory, listening on a free loopback
port (and a socket in that directory), run as the postgres user when the
tests run as root (PostgreSQL refuses root).  fsync stays on.

    with PgCluster() as pg:
        conninfo = pg.new_database()      # an empty database of its own

`available()` says whether the server binaries are there; tests/run.py
starts one cluster for a whole run and hands its address to the tests in
MINYI_TEST_PG_ADMIN (a conninfo of the cluster's "postgres" database).
Run as a script, it starts a cluster, prints that conninfo and waits.
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def bindir():
    """The newest installed server's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return os.path.dirname(found[-1]) if found else None


def available():
    return bindir() is not None


def version():
    """The server's major version ("15"), or None."""
    b = bindir()
    return b.split("/")[4] if b else None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class PgCluster:
    """durable=False (the suites' own cluster): fsync and full-page writes
    off, as nothing there must outlive a crash of the machine; minyi's
    own check (synchronous_commit on) still holds.  The drill and the
    bench keep fsync on."""

    def __init__(self, durable=True):
        self.dir = None
        self.port = None
        self.counter = 0
        self.durable = durable

    def _as_owner(self, argv):
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start(self):
        b = bindir()
        if b is None:
            raise RuntimeError("PostgreSQL server binaries are not installed"
                               " (Debian package postgresql)")
        self.dir = tempfile.mkdtemp(prefix="minyi-pg-")
        data = os.path.join(self.dir, "data")
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.dir, 0o700)
        subprocess.run(self._as_owner([os.path.join(b, "initdb"), "-D", data,
                                       "-U", "postgres", "--auth=trust",
                                       "-E", "UTF8", "--locale=C.UTF-8",
                                       "--no-instructions"]),
                       check=True, capture_output=True)
        self.port = free_port()
        opts = ("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=%s"
                " -c full_page_writes=%s -c synchronous_commit=on"
                " -c max_connections=300 -c shared_buffers=64MB"
                % (self.port, self.dir, "on" if self.durable else "off",
                   "on" if self.durable else "off"))
        subprocess.run(self._as_owner([os.path.join(b, "pg_ctl"), "-D", data,
                                       "-o", opts, "-l",
                                       os.path.join(self.dir, "log"), "-w",
                                       "start"]),
                       check=True, capture_output=True)
        return self

    def stop(self):
        if self.dir is None:
            return
        b = bindir()
        subprocess.run(self._as_owner([os.path.join(b, "pg_ctl"), "-D",
                                       os.path.join(self.dir, "data"), "-m",
                                       "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def admin(self):
        return admin_conninfo(self.port)


def restart(directory):
    """Restart the cluster in directory (a PgCluster's .dir) at once:
    connections are dropped, what was committed stays."""
    b = bindir()
    argv = [os.path.join(b, "pg_ctl"), "-D", os.path.join(directory, "data"),
            "-l", os.path.join(directory, "log"), "-m", "fast", "-w", "restart"]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--"] + argv
    # the server outlives pg_ctl: no pipe of ours may be its output
    subprocess.run(argv, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def admin_conninfo(port):
    return "host=127.0.0.1 port=%d user=postgres dbname=postgres" % port


def psql(admin, sql, db=None):
    """Run sql as the cluster's superuser; its output (tuples only)."""
    b = bindir()
    conn = admin if db is None else admin.replace("dbname=postgres", "dbname=" + db)
    p = subprocess.run([os.path.join(b, "psql"), "-X", "-q", "-t", "-A",
                        "-v", "ON_ERROR_STOP=1", "-d", conn, "-c", sql],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("psql: %s: %s" % (sql, p.stderr.strip()))
    return p.stdout.strip()


_seq = [0]


TEMPLATE = "minyi_template"


def new_database(admin, prefix="t", migrated=False):
    """A new database in the cluster at admin; its conninfo and name.
    migrated: a copy of the template make_template() left at the current
    schema (no migration to wait for at the first start), else empty."""
    _seq[0] += 1
    name = "%s_%d_%d_%d" % (prefix, os.getpid(), int(time.time() * 1000) % 100000000,
                            _seq[0])
    psql(admin, "CREATE DATABASE %s%s" % (name, " TEMPLATE " + TEMPLATE if migrated
                                          else ""))
    return admin.replace("dbname=postgres", "dbname=" + name), name


_template = {}


def template_ready(admin):
    """Whether make_template() made the template in the cluster at admin."""
    if admin not in _template:
        _template[admin] = psql(admin, "SELECT count(*) FROM pg_database WHERE"
                                " datname = '%s' AND datistemplate" % TEMPLATE) == "1"
    return _template[admin]


def make_template(admin, minyi_bin, config_path, env):
    """The template databases are copied from: migrated by starting `minyi
    serve` on it once (config_path: a config whose store is PostgreSQL
    through MINYI_TEST_PG), stopped, and emptied of what a start writes."""
    conninfo = admin.replace("dbname=postgres", "dbname=" + TEMPLATE)
    psql(admin, "CREATE DATABASE " + TEMPLATE)
    p = subprocess.Popen([minyi_bin, "serve", "--config", config_path],
                         env=dict(env, MINYI_TEST_PG=conninfo),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr:
        if "http listening" in line or line.startswith("fatal"):
            break
    p.terminate()
    p.communicate(timeout=30)
    if p.returncode != 0:
        raise RuntimeError("minyi serve on the template exited %d" % p.returncode)
    psql(admin, "DELETE FROM nodes", TEMPLATE)
    psql(admin, "ALTER DATABASE %s WITH IS_TEMPLATE true" % TEMPLATE)


if __name__ == "__main__":
    with PgCluster() as pg:
        print(pg.admin(), flush=True)
        try:
            sys.stdin.read()
        except KeyboardInterrupt:
            pass
