"""Seeds for fuzz-requests: every request of every case script, as one file each: a byte naming
the operation (its index in operations.txt, the order of the generated Operation enum), then the
request text. Also writes Tests/fuzz/requests.dict from the service models when asked.

    request_seeds.py OPERATIONS_TXT OUT_DIR SCRIPT...
    request_seeds.py --dict MODELS_DIR > Tests/fuzz/requests.dict
"""
import json
import os
import sys


def seeds(operations_txt, out, scripts):
    index = {line.split()[0]: i for i, line in enumerate(open(operations_txt)) if line.strip()}
    count = 0
    for script in scripts:
        directory = os.path.dirname(script)
        for line in open(script, encoding="utf-8", errors="replace"):
            words = line.rstrip("\n").split(" ", 2)
            if len(words) < 3 or words[0] not in ("call", "call-no-response", "named"):
                continue
            op, body = words[1], words[2]
            if words[0] == "named":
                op = "".join(part.capitalize() for part in op.split("_"))
            if op not in index:
                continue
            if body.startswith("@"):
                try:
                    body = open(os.path.join(directory, body[1:]), encoding="utf-8").read()
                except OSError:
                    continue
            count += 1
            with open(os.path.join(out, "%05d" % count), "wb") as f:
                f.write(bytes([index[op]]) + body.encode("utf-8"))
    print("fuzz-requests: %d seeds" % count)


def dictionary(models_dir):
    names = set()
    for file in sorted(os.listdir(models_dir)):
        model = json.load(open(os.path.join(models_dir, file)))
        for shape in model["shapes"].values():
            names.update(shape.get("members", {}))
            names.update(shape.get("enum", []))
    print("# Member names and enum values of both services' models (request_seeds.py --dict).")
    for name in sorted(names):
        print('"%s"' % name.replace("\\", "\\\\").replace('"', '\\"'))


if __name__ == "__main__":
    if sys.argv[1] == "--dict":
        dictionary(sys.argv[2])
    else:
        seeds(sys.argv[1], sys.argv[2], sys.argv[3:])
