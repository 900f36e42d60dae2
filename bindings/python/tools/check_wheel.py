"""check_wheel.py WHEEL LIBRARY TAG: a wheel that bundles a (cross-built) library is what pip
installs on that platform: its file name and WHEEL file carry py3-none-TAG, it is not purelib,
iotevents/lib/libiotevents.so.0 is LIBRARY stripped (same ELF class and machine, the same
exported iotevents_* symbols), it carries the project's and jansson's licences, and RECORD's
hashes match. Prints one line; exits 1 on a failure."""
import base64
import hashlib
import subprocess
import sys
import tempfile
import zipfile

wheel, library, tag = sys.argv[1:4]
failures = []
with zipfile.ZipFile(wheel) as archive:
    names = archive.namelist()
    info = next(n for n in names if n.endswith(".dist-info/WHEEL"))
    meta = archive.read(info).decode()
    if not wheel.endswith("-py3-none-%s.whl" % tag):
        failures.append("file name lacks py3-none-%s" % tag)
    if "Tag: py3-none-%s\n" % tag not in meta or "Root-Is-Purelib: false" not in meta:
        failures.append("WHEEL: %r" % meta)
    bundled = archive.read("iotevents/lib/libiotevents.so.0")
    licences = sorted(n.rsplit("/", 1)[-1] for n in names if ".dist-info/licenses/" in n)
    if licences != ["LICENSE", "jansson.txt"]:
        failures.append("dist-info/licenses holds %s, not LICENSE and jansson.txt" % licences)
    for line in archive.read(next(n for n in names if n.endswith("/RECORD"))).decode().splitlines():
        name, digest, _ = line.split(",")
        if digest:
            actual = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(archive.read(name)).digest()).rstrip(b"=").decode()
            if actual != digest:
                failures.append("RECORD: %s" % name)
original = open(library, "rb").read()
if bundled[:5] != original[:5] or bundled[18:20] != original[18:20]:  # EI_CLASS, e_machine
    failures.append("the bundled library is not for the library's machine")
with tempfile.NamedTemporaryFile() as f:
    f.write(bundled)
    f.flush()
    symbols = [sorted(l.split()[-1] for l in subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True,
                                                             text=True, check=True).stdout.splitlines()) for path in (f.name, library)]
if symbols[0] != symbols[1] or not symbols[0]:
    failures.append("the bundled library exports other symbols")
for failure in failures:
    print("FAIL", wheel, failure)
print("check-wheel: %d passed, %d failed (%s)" % (0 if failures else 1, 1 if failures else 0, wheel.rsplit("/", 1)[-1]))
sys.exit(1 if failures else 0)
