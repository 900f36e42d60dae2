"""The package's build backend (PEP 517), in the tree so that building needs nothing but Python:
`pip install ./bindings/python` works offline, with no setuptools or wheel package.

A wheel holds iotevents/ as it is, plus botocore's data for both services as
iotevents/botocore-data/, copied from the repository's models/botocore-data at build time (the
one source of truth; iotevents.boto3.data_path() falls back to it when run from the tree). When the config setting "library" names a built
libiotevents.so, the wheel also carries it as iotevents/lib/libiotevents.so.0 (where the loader
looks after $IOTEVENTS_LIBRARY) and is tagged for this platform (py3-none-linux_x86_64) instead of
py3-none-any: the package is still pure Python, but the file inside it is not.

    pip install ./bindings/python                                   # pure, finds the library at run time
    pip wheel ./bindings/python -C library=build/standard/libiotevents.so.0.1.0   # bundles it
    make python                                                     # the same, into build/python/
"""
import base64
import hashlib
import io
import os
import re
import sysconfig
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "iotevents"
DATA = "botocore-data"  # iotevents.boto3.data_path() inside the installed package
# pytest finds the fixture iotevents_mock through this entry point; named like the module, so a
# conftest's pytest_plugins = ["iotevents.pytest_plugin"] beside it does not register it twice.
# The console script `iotevents` is the command line (iotevents.cli: serve, ...).
ENTRY_POINTS = ("[console_scripts]\niotevents = iotevents.cli:main\n\n"
                "[pytest11]\niotevents.pytest_plugin = iotevents.pytest_plugin\n")


def _project():
    """name, version, summary and requires-python from pyproject.toml (read with a regex so
    that Python 3.8–3.10, which have no tomllib, need nothing)."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    field = lambda key: re.search(r'^%s\s*=\s*"([^"]*)"' % key, text, re.M).group(1)
    return {"name": field("name"), "version": field("version"), "summary": field("description"),
            "requires_python": field("requires-python")}


def _metadata(project):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return ("Metadata-Version: 2.1\nName: %(name)s\nVersion: %(version)s\nSummary: %(summary)s\n"
            "Requires-Python: %(requires_python)s\nLicense: Apache-2.0\n"
            "Provides-Extra: boto3\nRequires-Dist: boto3; extra == \"boto3\"\n"
            "Provides-Extra: serve\nRequires-Dist: botocore; extra == \"serve\"\n"
            "Provides-Extra: timeline\nRequires-Dist: matplotlib; extra == \"timeline\"\n"
            "Provides-Extra: import\nRequires-Dist: pyyaml; extra == \"import\"\n"
            "Provides-Extra: cluster\nRequires-Dist: nats-py; extra == \"cluster\"\n"
            "Description-Content-Type: text/markdown\n\n" % project) + readme


def _data_source():
    """botocore's data for both services, which the package carries as iotevents/botocore-data:
    the repository's models/botocore-data (the one copy, never duplicated in the tree), or, when
    building from an sdist, the copy the sdist carries."""
    for candidate in (os.path.join(ROOT, PACKAGE, DATA), os.path.join(ROOT, "..", "..", "models", "botocore-data")):
        if os.path.isfile(os.path.join(candidate, "iotevents-data", "2018-10-23", "service-2.json")):
            return os.path.normpath(candidate)
    raise FileNotFoundError("iotevents build: botocore data not found (models/botocore-data of the repository)")


def _licences(bundled):
    """(name, path on disk) of the licences a wheel carries in its dist-info/licenses/: the
    project's (Apache-2.0; the repository's LICENSE, or the sdist's copy), and, when it bundles
    the library, jansson's (MIT: the library compiles it in; the licence of the source package
    build-jansson.sh fetched)."""
    found = []
    for candidate in (os.path.join(ROOT, "LICENSE"), os.path.join(ROOT, "..", "..", "LICENSE")):
        if os.path.isfile(candidate):
            found.append(("LICENSE", os.path.normpath(candidate)))
            break
    else:
        raise FileNotFoundError("iotevents build: LICENSE not found (the repository's root)")
    if bundled:
        jansson = os.path.join(ROOT, "..", "..", ".build-deps", "jansson-src", "LICENSE")
        if not os.path.isfile(jansson):
            raise FileNotFoundError("iotevents build: jansson's licence not found (%s): build the library first" % jansson)
        found.append(("jansson.txt", os.path.normpath(jansson)))
    return found


def _package_files():
    """(path in the archive, path on disk) for every file of the package, sorted: the Python
    modules and the botocore data folder."""
    found = []
    base = os.path.join(ROOT, PACKAGE)
    for directory, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "lib", DATA))
        for name in sorted(files):
            if name.endswith((".py", ".pyi")) or name == "py.typed":
                disk = os.path.join(directory, name)
                found.append((os.path.relpath(disk, ROOT).replace(os.sep, "/"), disk))
    source = _data_source()
    for directory, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                disk = os.path.join(directory, name)
                archived = "/".join([PACKAGE, DATA] + os.path.relpath(disk, source).split(os.sep))
                found.append((archived, disk))
    return found


def _tag(bundled, platform=None):
    if not bundled:
        return "py3-none-any"
    # "platform" (a cross-built library, make wheel TARGET=...): the tag its libc floor gives,
    # e.g. manylinux_2_34_aarch64 or musllinux_1_2_x86_64 (PEP 600, PEP 656).
    return "py3-none-" + re.sub(r"[^A-Za-z0-9]", "_", platform or sysconfig.get_platform())


def _digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _write(archive, name, data, records, executable=False):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # reproducible archives
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
    records.append("%s,%s,%d" % (name, _digest(data), len(data)))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    library = (config_settings or {}).get("library") or os.environ.get("IOTEVENTS_BUNDLE_LIBRARY")
    tag = _tag(library, (config_settings or {}).get("platform"))
    name = "%s-%s-%s.whl" % (project["name"], project["version"], tag)
    info = "%s-%s.dist-info" % (project["name"], project["version"])
    records = []
    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as archive:
        for archived, disk in _package_files():
            with open(disk, "rb") as f:
                _write(archive, archived, f.read(), records)
        if library:
            with open(library, "rb") as f:
                _write(archive, PACKAGE + "/lib/libiotevents.so.0", f.read(), records, executable=True)
        for licence, disk in _licences(library):
            with open(disk, "rb") as f:
                _write(archive, info + "/licenses/" + licence, f.read(), records)
        _write(archive, info + "/METADATA", _metadata(project).encode("utf-8"), records)
        wheel = "Wheel-Version: 1.0\nGenerator: iotevents-wheel-backend\nRoot-Is-Purelib: %s\nTag: %s\n" % (
            "false" if library else "true", tag)
        _write(archive, info + "/WHEEL", wheel.encode("ascii"), records)
        _write(archive, info + "/top_level.txt", (PACKAGE + "\n").encode("ascii"), records)
        _write(archive, info + "/entry_points.txt", ENTRY_POINTS.encode("ascii"), records)
        records.append(info + "/RECORD,,")
        archive.writestr(zipfile.ZipInfo(info + "/RECORD", date_time=(2026, 1, 1, 0, 0, 0)),
                         "\n".join(records) + "\n")
    return name


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    stem = "%s-%s" % (project["name"], project["version"])
    files = [("pyproject.toml", os.path.join(ROOT, "pyproject.toml")),
             ("README.md", os.path.join(ROOT, "README.md")),
             ("tools/wheel_backend.py", os.path.abspath(__file__))] + _licences(None) + _package_files()
    os.makedirs(sdist_directory, exist_ok=True)
    with tarfile.open(os.path.join(sdist_directory, stem + ".tar.gz"), "w:gz") as archive:
        for archived, disk in files:
            archive.add(disk, arcname=stem + "/" + archived)
        pkg_info = _metadata(project).encode("utf-8")
        entry = tarfile.TarInfo(stem + "/PKG-INFO")
        entry.size = len(pkg_info)
        archive.addfile(entry, io.BytesIO(pkg_info))
    return stem + ".tar.gz"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
