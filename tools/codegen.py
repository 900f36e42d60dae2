#!/usr/bin/env python3
"""The one generator: every table derived from botocore's two IoT Events service models
(models/botocore-data) and our own small table (tools/codegen-extras.json: status codes, the
configuration keys of iotevents_open, the engine's own operations in botocore's model format).

    python3 tools/codegen.py            writes every output into the repository (`make generate`)
    python3 tools/codegen.py --out DIR  writes them under DIR instead (same relative paths)
    python3 tools/codegen.py --check    regenerates into a temporary directory and fails on any
                                        committed output that differs (`make check-generated`)

Outputs (all committed, never edited by hand):
  Sources/IoTEventsAPI/ServiceModel/ServiceSchema.generated.swift  request shapes, `Operation`
  Sources/IoTEvents/OperationEntryPoints.generated.swift           one @_cdecl entry point each
  Sources/IoTEventsAPI/ServiceModel/operations.txt                 names, for the fuzz seeds
  Sources/IoTEventsCore/ServiceErrorKind.generated.swift           `ServiceError.Kind`, its names/texts
  bindings/python/iotevents/_operations.py                         operation, status, config tables
  bindings/python/iotevents/_operations.pyi                        TypedDict requests/responses, clients
  bindings/lua/src/operations.h                                    operations, request shapes, statuses

The header (include/iotevents.h) stays hand-written: --check also fails when its status enum, its
documented configuration keys or its list of operation entry points disagree with the models and
codegen-extras.json. Standard library only.
"""
import filecmp
import json
import keyword
import os
import re
import shutil
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
MODELS = os.path.join(ROOT, "models", "botocore-data")
EXTRAS = os.path.join(ROOT, "tools", "codegen-extras.json")
# (schema label, boto3 service name, model file under MODELS)
SERVICES = [("control", "iotevents", "iotevents/2018-07-27/service-2.json"),
            ("data", "iotevents-data", "iotevents-data/2018-10-23/service-2.json")]

# Every pattern of the models, by the hand-written matcher that implements it (SchemaPattern.swift).
PATTERNS = {
    None: "none",
    r"^[a-zA-Z0-9_-]+$": "idCharacters",
    r"^((`[\w\- ]+`)|([\w\-]+))(\.((`[\w- ]+`)|([\w\-]+)))*$": "attributeJsonPath",
    r"([\n\t])|(\r\n)|(,)": "firehoseSeparator",
    r"^[a-zA-Z][a-zA-Z0-9_]*$": "identifier",
    r"^[a-zA-Z0-9\-_:]+$": "keyValue",
    r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$": "dataInputName",
    r"^(?!00000000-0000-0000-0000-000000000000)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$": "uuid",
    r"[^\u0000-\u001F\u007F]+": "noControlCharacters",
}
KINDS = ["structure", "list", "string", "integer", "long", "boolean", "timestamp", "blob", "double"]


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def lower_first(name):
    return name[0].lower() + name[1:]


class Models:
    """The three models (control, data, extension) and our table."""

    def __init__(self, models_dir=MODELS, extras_file=EXTRAS):
        self.by_label = {}
        self.service_of = {}  # label -> boto3 service name
        for label, service, file in SERVICES:
            with open(os.path.join(models_dir, file)) as f:
                self.by_label[label] = json.load(f)
            self.service_of[label] = service
        with open(extras_file) as f:
            self.extras = json.load(f)
        ext = self.extras["extensionModel"]
        self.by_label["extension"] = ext
        self.service_of["extension"] = ext["metadata"]["service"]
        self.labels = ["control", "data", "extension"]

    def operations(self):
        """(label, operation name, spec), each model's operations sorted, models in order."""
        for label in self.labels:
            model = self.by_label[label]
            for name in sorted(model["operations"]):
                yield label, name, model["operations"][name]

    def shapes(self, label):
        return self.by_label[label]["shapes"]


def paths(shapes, name, kinds, seen=()):
    """Member paths (tuples; "*" for list elements and map values) whose shape type is in kinds."""
    if name in seen:
        return []
    shape = shapes[name]
    t = shape["type"]
    if t in kinds:
        return [()]
    found = []
    if t == "structure":
        for member, ref in shape["members"].items():
            found += [(member,) + p for p in paths(shapes, ref["shape"], kinds, seen + (name,))]
    elif t == "list":
        found += [("*",) + p for p in paths(shapes, shape["member"]["shape"], kinds, seen + (name,))]
    elif t == "map":
        found += [("*",) + p for p in paths(shapes, shape["value"]["shape"], kinds, seen + (name,))]
    return found


# --- Swift: the request schema, the Operation enum, the entry points ------------------------------

def swift_schema(m):
    shapes, index, order_ops = [], {}, []

    def visit(label, name):
        key = (label, name)
        if key in index:
            return index[key]
        index[key] = len(shapes)
        shapes.append(key)
        s = m.shapes(label)[name]
        if s["type"] == "structure":
            for member in s.get("members", {}).values():
                visit(label, member["shape"])
        elif s["type"] == "list":
            visit(label, s["member"]["shape"])
        elif s["type"] not in KINDS:
            sys.exit("unsupported shape type %s of %s" % (s["type"], name))
        return index[key]

    for label, op_name, op in m.operations():
        order_ops.append((label, op_name, op, visit(label, op["input"]["shape"])))

    members, enums, rows = [], [], []
    for label, name in shapes:
        s = m.shapes(label)[name]
        kind = s["type"]
        first, count = 0, 0
        if kind == "structure":
            first = len(members)
            required = set(s.get("required", []))
            for mname, ref in s.get("members", {}).items():
                members.append((mname, index[(label, ref["shape"])], mname in required))
            count = len(members) - first
        elif kind == "list":
            first = index[(label, s["member"]["shape"])]
        enum_first, enum_count = 0, 0
        if "enum" in s:
            enum_first = len(enums)
            enums.extend(s["enum"])
            enum_count = len(s["enum"])
        pattern = s.get("pattern")
        if pattern not in PATTERNS:
            sys.exit("no matcher for pattern %r of %s: add one to SchemaPattern.swift" % (pattern, name))
        rows.append((label, name, kind, first, count, s.get("min"), s.get("max"), PATTERNS[pattern], enum_first, enum_count))

    def bound(value):
        return str(-1 if value is None else value)

    out = []
    w = out.append
    w("// Generated by tools/codegen.py from botocore's iotevents (2018-07-27) and iotevents-data")
    w("// (2018-10-23) service models, plus our engine operations (tools/codegen-extras.json). Do not")
    w("// edit: regenerate with `make generate`.")
    w("")
    w("/// Every request shape of both services, indexed by `SchemaShapeID`.")
    w("let schemaShapes: [SchemaShape] = [")
    for i, (label, name, kind, first, count, lo, hi, pat, ef, ec) in enumerate(rows):
        w("    SchemaShape(kind: .%s, first: %d, count: %d, min: %s, max: %s, pattern: .%s, enumFirst: %d, enumCount: %d), // %d %s.%s"
          % (kind, first, count, bound(lo), bound(hi), pat, ef, ec, i, label, name))
    w("]")
    w("")
    # Names live in one block (NUL after every name, each name once); the tables hold
    # offsets, not pointers the loader would have to relocate (SchemaName in Schema.swift).
    def name_block(values):
        offsets, lines, size = {}, [], 0
        for v in values:
            if v in offsets:
                continue
            if not all(0x20 < ord(c) < 0x7f and c not in '"\\' for c in v) or len(v) > 255:
                sys.exit("schema name %r: the name blocks hold printable ASCII names of at most 255 bytes" % v)
            offsets[v] = size
            lines.append(v)
            size += len(v) + 1
        if size > 0xFFFF:
            sys.exit("a schema name block is over 64 KB: SchemaName's offsets are 16 bits")
        return offsets, lines

    def emit_block(name, doc, lines):
        w(doc)
        w("let %s: StaticString = \"\"\"" % name)
        for i, line in enumerate(lines):
            # a line continuation on all but the last line (the literal's last newline is not in it)
            w("    %s\\0%s" % (line, "\\" if i + 1 < len(lines) else ""))
        w("    \"\"\"")
        w("")

    offsets, lines = name_block([mname for mname, _, _ in members] + enums)
    emit_block("schemaNames", "/// The structure members' names and the enum values, each once, each followed by a NUL.", lines)
    w("/// Structure members, in service-model order; `SchemaShape.first` indexes here.")
    w("let schemaMembers: [SchemaMember] = [")
    for mname, shape, req in members:
        w("    SchemaMember(name: SchemaName(at: %d, length: %d), shape: %d, required: %s), // %s"
          % (offsets[mname], len(mname), shape, "true" if req else "false", mname))
    w("]")
    w("")
    w("/// Enum values; `SchemaShape.enumFirst` indexes here.")
    w("let schemaEnumValues: [SchemaName] = [")
    for e in enums:
        w("    SchemaName(at: %d, length: %d), // %s" % (offsets[e], len(e), e))
    w("]")
    w("")
    w("/// Every operation of both services: the AWS operation name is the raw value.")
    w("package enum Operation: UInt8, CaseIterable, Sendable {")
    for _, op_name, _, _ in order_ops:
        w("    case %s" % lower_first(op_name))
    w("")
    w("    /// The AWS operation name, as `iotevents_call` takes it.")
    w("    package var name: StaticString {")
    w("        switch self {")
    for _, op_name, _, _ in order_ops:
        w("        case .%s: return %s" % (lower_first(op_name), json.dumps(op_name)))
    w("        }")
    w("    }")
    w("")
    w("    /// The operation's service: `iotevents` (control plane) or `iotevents-data`.")
    w("    package var isDataPlane: Bool {")
    w("        switch self {")
    data_ops = [o for o in order_ops if o[0] in ("data", "extension")]
    w("        case %s: return true" % ", ".join("." + lower_first(o[1]) for o in data_ops))
    w("        default: return false")
    w("        }")
    w("    }")
    w("")
    w("    /// The request shape the request document is validated against.")
    w("    var requestShape: SchemaShapeID {")
    w("        switch self {")
    for _, op_name, _, shape in order_ops:
        w("        case .%s: return %d" % (lower_first(op_name), shape))
    w("        }")
    w("    }")
    w("")
    w("    /// HTTP status of a successful response in AWS (the bindings reproduce it).")
    w("    package var successStatus: Int {")
    w("        switch self {")
    by_code = {}
    for _, op_name, op, _ in order_ops:
        by_code.setdefault(op["http"].get("responseCode", 200), []).append(op_name)
    for code, names in sorted(by_code.items()):
        if code == 200:
            continue
        w("        case %s: return %d" % (", ".join("." + lower_first(n) for n in names), code))
    w("        default: return 200")
    w("        }")
    w("    }")
    w("}")
    w("")
    schema = "\n".join(out)

    abi = ["// Generated by tools/codegen.py. Do not edit: regenerate with `make generate`.",
           "// One named entry point per operation; each is `iotevents_call` with the operation fixed.",
           "import IoTEventsAPI", ""]
    for _, op_name, _, _ in order_ops:
        abi.append('@_cdecl("iotevents_%s")' % snake(op_name))
        abi.append("public func iotevents_%s(_ engine: OpaquePointer?, _ request: UnsafePointer<CChar>?, _ response: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {" % snake(op_name))
        abi.append("    EngineHandle.call(engine, .%s, request, response)" % lower_first(op_name))
        abi.append("}")
        abi.append("")
    entry_points = "\n".join(abi)

    ops = "".join("%s %s %s\n" % (op_name, snake(op_name), m.service_of[label] if label == "extension" else label)
                  for label, op_name, _, _ in order_ops)
    return schema, entry_points, ops


def swift_status(m):
    st = m.extras["statuses"]
    out = ["// Generated by tools/codegen.py from tools/codegen-extras.json (the status codes of",
           "// include/iotevents.h). Do not edit: regenerate with `make generate`.",
           "",
           "extension ServiceError {",
           "    /// The AWS exception, named as in the service models. Raw values are the ABI status codes.",
           "    package enum Kind: Int32, Sendable {"]
    for s in st:
        out.append("        case %s = %d" % (s["swiftCase"], s["code"]))
    out += ["",
            "        /// The `__type` of the error document.",
            "        package var typeName: String {",
            "            switch self {"]
    for s in st:
        out.append("            case .%s: return %s" % (s["swiftCase"], json.dumps(s["name"])))
    out += ["            }",
            "        }",
            "",
            "        /// What `iotevents_strerror` answers for the code: the name, then a short text.",
            "        package var statusText: StaticString {",
            "            switch self {"]
    for s in st:
        out.append("            case .%s: return %s" % (s["swiftCase"], json.dumps(s["name"] + ": " + s["text"])))
    out += ["            }",
            "        }",
            "    }",
            "}",
            ""]
    return "\n".join(out)


# --- Python: the operation table and the typed stubs ----------------------------------------------

def python_table(m):
    table, errors = {}, {}
    for label in m.labels:
        model = m.by_label[label]
        service = m.service_of[label]
        shapes = model["shapes"]
        ops = table.get(service, {})
        for op, spec in sorted(model["operations"].items()):
            entry = {"name": op, "status": spec.get("http", {}).get("responseCode", 200)}
            if "input" in spec:
                members = shapes[spec["input"]["shape"]].get("members", {})
                entry["input_blobs"] = paths(shapes, spec["input"]["shape"], {"blob"})
                entry["input_timestamps"] = paths(shapes, spec["input"]["shape"], {"timestamp"})
                entry["pageable"] = "nextToken" in members
                entry["arguments"] = sorted(members)
                entry["required"] = sorted(shapes[spec["input"]["shape"]].get("required", []))
            if "output" in spec:
                output = shapes[spec["output"]["shape"]].get("members", {})
                entry["output_timestamps"] = paths(shapes, spec["output"]["shape"], {"timestamp"})
                if entry.get("pageable"):
                    # the page's items: the one list member beside nextToken
                    lists = [k for k, ref in output.items() if shapes[ref["shape"]]["type"] == "list"]
                    entry["result_key"] = lists[0] if len(lists) == 1 else None
            ops[snake(op)] = entry
        table[service] = ops
        for name, shape in shapes.items():
            if "error" in shape:
                errors[name] = shape["error"]["httpStatusCode"]

    def literal(value):
        return json.dumps(value, indent=1, sort_keys=True).replace("true", "True").replace("false", "False").replace("null", "None")

    out = ['"""Generated by tools/codegen.py from botocore\'s service models and our own table',
           '(tools/codegen-extras.json); do not edit: regenerate with `make generate`."""',
           "OPERATIONS = " + literal(table),
           "#: HTTP status of each error code, as the service sends it.",
           "ERROR_STATUS = " + json.dumps(errors, indent=1, sort_keys=True),
           "#: The error code of each iotevents_status value, 1 first (include/iotevents.h).",
           "STATUS_CODES = " + json.dumps([s["name"] for s in m.extras["statuses"]], indent=1),
           "#: The configuration keys of iotevents_open (include/iotevents.h), by Python name: the",
           "#: library's key, its JSON type, its allowed values (None: any) and its default.",
           "CONFIG_KEYS = " + literal({c["python"]: {"key": c["key"], "type": c["type"], "enum": c.get("enum"),
                                                     "default": c["default"]} for c in m.extras["configKeys"]}),
           ""]
    return "\n".join(out)


def python_stubs(m):
    """_operations.pyi: a TypedDict per structure shape an operation reaches (requests and
    responses), and a Protocol per service whose methods take the request's members as keyword
    arguments, so mypy checks every call of engine.client(<service>)."""
    class_of = {}   # (label, shape) -> class name
    taken = {}      # class name -> (label, shape definition)
    prefix = {"control": "", "data": "Data", "extension": "SiteWise"}
    order = []

    def class_name(label, name):
        key = (label, name)
        if key in class_of:
            return class_of[key]
        definition = json.dumps(m.shapes(label)[name], sort_keys=True)
        candidate = name
        if candidate in taken and taken[candidate] != definition:
            candidate = prefix[label] + name
        taken[candidate] = definition
        class_of[key] = candidate
        return candidate

    def py_type(label, name, direction, visiting):
        s = m.shapes(label)[name]
        t = s["type"]
        if t == "structure":
            return '"%s"' % visit(label, name, direction, visiting)
        if t == "list":
            return "List[%s]" % py_type(label, s["member"]["shape"], direction, visiting)
        if t == "map":
            return "Dict[str, %s]" % py_type(label, s["value"]["shape"], direction, visiting)
        if t == "string":
            return "str"
        if t in ("integer", "long"):
            return "int"
        if t == "double":
            return "float"
        if t == "boolean":
            return "bool"
        if t == "timestamp":
            return "datetime" if direction == "out" else "Union[datetime, int, float]"
        if t == "blob":
            # in: bytes or str as boto3 takes them, or a JSON object the library takes decoded
            return "bytes" if direction == "out" else "Union[bytes, bytearray, str, Dict[str, Any]]"
        sys.exit("no Python type for shape type %s (%s)" % (t, name))

    # Structures reached from requests and from responses: a shape used both ways whose types
    # differ by direction (timestamps, blobs) has two classes, the response's named <Name>Out.
    reached = {"in": set(), "out": set()}

    def reach(label, name, direction):
        if (label, name) in reached[direction]:
            return
        s = m.shapes(label)[name]
        if s["type"] == "structure":
            reached[direction].add((label, name))
            for ref in s.get("members", {}).values():
                reach(label, ref["shape"], direction)
        elif s["type"] == "list":
            reach(label, s["member"]["shape"], direction)
        elif s["type"] == "map":
            reach(label, s["value"]["shape"], direction)

    for label in m.labels:
        for spec in m.by_label[label]["operations"].values():
            if "input" in spec:
                reach(label, spec["input"]["shape"], "in")
            if "output" in spec:
                reach(label, spec["output"]["shape"], "out")

    def visit(label, name, direction, visiting):
        """The class of a structure shape in one direction (written once)."""
        if not paths(m.shapes(label), name, {"timestamp", "blob"}):
            direction = "any"  # the same types both ways: one class
        key = (label, name, direction)
        if key in class_of:
            return class_of[key]
        base = class_name(label, name)
        if (direction == "out" and (label, name) in reached["in"]
                and paths(m.shapes(label), name, {"timestamp", "blob"})):
            base = base + "Out"
        class_of[key] = base
        s = m.shapes(label)[name]
        required = set(s.get("required", []))
        fields = []
        for member, ref in s.get("members", {}).items():
            fields.append((member, py_type(label, ref["shape"], direction, visiting), member in required))
        order.append((base, fields))
        return base

    clients = []
    for label in m.labels:
        service = m.service_of[label]
        model = m.by_label[label]
        methods = []
        for op_name in sorted(model["operations"]):
            spec = model["operations"][op_name]
            shapes = model["shapes"]
            params = []
            if "input" in spec:
                s = shapes[spec["input"]["shape"]]
                required = set(s.get("required", []))
                for member, ref in s.get("members", {}).items():
                    if keyword.iskeyword(member):
                        sys.exit("%s: member %s is a Python keyword" % (op_name, member))
                    params.append((member, py_type(label, ref["shape"], "in", ()), member in required))
            if "output" in spec:
                result = visit(label, spec["output"]["shape"], "out", ())
            else:
                result = None
            methods.append((snake(op_name), op_name, params, result))
        clients.append((service, methods))

    out = ['"""Generated by tools/codegen.py from botocore\'s service models and our own table',
           '(tools/codegen-extras.json); do not edit: regenerate with `make generate`. Types for mypy:',
           'engine.client("iotevents") is an IoTEventsClient, and so on."""',
           "from datetime import datetime",
           "from typing import Any, Dict, List, Optional, Union",
           "",
           "from typing_extensions import NotRequired, Protocol, TypedDict",
           "",
           "OPERATIONS: Dict[str, Dict[str, Dict[str, Any]]]",
           "ERROR_STATUS: Dict[str, int]",
           "STATUS_CODES: List[str]",
           "CONFIG_KEYS: Dict[str, Dict[str, Any]]",
           "",
           "class ResponseMetadata(TypedDict):",
           "    HTTPStatusCode: int",
           "    RequestId: NotRequired[str]",
           "    HTTPHeaders: NotRequired[Dict[str, str]]",
           "    RetryAttempts: NotRequired[int]",
           ""]
    results = set(r for _, ms in clients for _, _, _, r in ms)
    for name, fields in order:
        if name in results:
            fields = fields + [("ResponseMetadata", "ResponseMetadata", False)]
        if any(keyword.iskeyword(member) for member, _, _ in fields):
            # a member named like a Python keyword ("from"): the functional syntax
            out.append('%s = TypedDict("%s", {' % (name, name))
            for member, typ, required in fields:
                out.append('    "%s": %s,' % (member, typ if required else "NotRequired[%s]" % typ))
            out.append("})")
            out.append("")
            continue
        out.append("class %s(TypedDict):" % name)
        if not fields:
            out.append("    pass")
        for member, typ, required in fields:
            out.append("    %s: %s" % (member, typ if required else "NotRequired[%s]" % typ))
        out.append("")
    for service, methods in clients:
        cls = {"iotevents": "IoTEventsClient", "iotevents-data": "IoTEventsDataClient", "iotsitewise": "IoTSiteWiseClient"}[service]
        out.append("class %s(Protocol):" % cls)
        out.append('    """engine.client(%s)"""' % json.dumps(service))
        out.append("    exceptions: Any")
        out.append("    meta: Any")
        out.append("    def can_paginate(self, operation_name: str) -> bool: ...")
        out.append("    def get_paginator(self, operation_name: str) -> Any: ...")
        out.append("    def close(self) -> None: ...")
        for method, op_name, params, result in methods:
            args = "".join(", %s: %s" % (p, t if req else "%s = ..." % t) for p, t, req in params)
            out.append("    def %s(self%s) -> %s: ..." % (method, (", *" + args) if args else "", result or "Dict[str, Any]"))
        out.append("")
    return "\n".join(out)


# --- Lua: the operation table, request shapes, status names ---------------------------------------

def lua_table(m):
    rows = []
    for label in m.labels:
        model = m.by_label[label]
        service = m.service_of[label]
        for op, spec in model["operations"].items():
            blobs = paths(model["shapes"], spec["input"]["shape"], {"blob"}) if "input" in spec else []
            if len(blobs) > 1:
                sys.exit("%s has %d blob members: operations.h holds one path per operation" % (op, len(blobs)))
            rows.append((op, snake(op), service, blobs[0] if blobs else None, label, spec))
    rows.sort(key=lambda r: r[:4])
    out = []
    out.append("/* Generated by tools/codegen.py from botocore's service models (models/botocore-data) and")
    out.append(" * our own table (tools/codegen-extras.json); do not edit: regenerate with `make generate`.")
    out.append(" * Every operation of both services, sorted by AWS name (strcmp order, for a binary search),")
    out.append(" * with its method name, its named entry point in iotevents.h and the request member path that")
    out.append(" * is a blob (NULL-terminated; \"*\" = every element of a list). */")
    out.append("#ifndef IOTEVENTS_LUA_OPERATIONS_H")
    out.append("#define IOTEVENTS_LUA_OPERATIONS_H")
    out.append("")
    # Request shapes, as far as the encoder needs them: which values are lists (an empty Lua table
    # there is []), which structures hold which members. Other shapes are IE_SHAPE_SCALAR.
    shapes, index = [], {}

    def visit(label, name):
        key = (label, name)
        if key in index:
            return index[key]
        s = m.shapes(label)[name]
        if s["type"] not in ("structure", "list", "map"):
            return -1
        index[key] = len(shapes)
        shapes.append(None)
        i = index[key]
        if s["type"] == "structure":
            members = [(k, visit(label, ref["shape"])) for k, ref in s.get("members", {}).items()]
            members = [(k, c) for k, c in members if c >= 0]
            shapes[i] = ("IE_SHAPE_STRUCTURE", name, members, -1)
        elif s["type"] == "list":
            shapes[i] = ("IE_SHAPE_LIST", name, [], visit(label, s["member"]["shape"]))
        else:
            shapes[i] = ("IE_SHAPE_MAP", name, [], visit(label, s["value"]["shape"]))
        return i

    request_shape = {}
    for op, _, _, _, label, spec in rows:
        request_shape[op] = visit(label, spec["input"]["shape"]) if "input" in spec else -1
    out.append("/* A request shape: a structure's members that are structures, lists or maps (name, shape");
    out.append(" * index), or a list's element / a map's value shape (-1: a scalar). */")
    out.append("typedef enum { IE_SHAPE_STRUCTURE, IE_SHAPE_LIST, IE_SHAPE_MAP } ie_shape_kind;")
    out.append("typedef struct ie_shape_member {")
    out.append("    const char *name;")
    out.append("    int shape;")
    out.append("} ie_shape_member;")
    out.append("typedef struct ie_shape {")
    out.append("    ie_shape_kind kind;")
    out.append("    int element;                    /* lists and maps: the element's shape, or -1 */")
    out.append("    int count;                      /* structures: how many members are listed */")
    out.append("    const ie_shape_member *members; /* structures */")
    out.append("} ie_shape;")
    out.append("")
    for i, (kind, name, members, element) in enumerate(shapes):
        if members:
            out.append("static const ie_shape_member ie_members_%d[] = { /* %s */" % (i, name))
            for k, c in members:
                out.append('    {"%s", %d},' % (k, c))
            out.append("};")
    out.append("")
    out.append("#define IE_SHAPE_COUNT %d" % len(shapes))
    out.append("")
    out.append("static const ie_shape ie_shapes[IE_SHAPE_COUNT] = {")
    for i, (kind, name, members, element) in enumerate(shapes):
        out.append("    {%s, %d, %d, %s}, /* %d %s */" % (kind, element, len(members),
                                                    "ie_members_%d" % i if members else "NULL", i, name))
    out.append("};")
    out.append("")
    out.append("typedef struct ie_operation {")
    out.append("    const char *name;       /* AWS operation name, as iotevents_call takes it */")
    out.append("    const char *method;     /* the engine method: the name in snake_case */")
    out.append("    const char *service;    /* \"iotevents\", \"iotevents-data\" or \"iotsitewise\" (ours) */")
    out.append("    int (*entry)(iotevents_engine *, const char *, char **);")
    out.append("    const char *const *blob; /* NULL: no blob member */")
    out.append("    int request;            /* the request's shape in ie_shapes, or -1 */")
    out.append("} ie_operation;")
    out.append("")
    for op, _, _, path, _, _ in rows:
        if path:
            out.append("static const char *const ie_blob_%s[] = {%s, NULL};" % (op, ", ".join('"%s"' % p for p in path)))
    out.append("")
    out.append("#define IE_OPERATION_COUNT %d" % len(rows))
    out.append("")
    out.append("static const ie_operation ie_operations[IE_OPERATION_COUNT] = {")
    for op, method, service, path, _, _ in rows:
        out.append('    {"%s", "%s", "%s", iotevents_%s, %s, %d},' % (op, method, service, method,
                                                                     "ie_blob_%s" % op if path else "NULL", request_shape[op]))
    out.append("};")
    out.append("")
    st = m.extras["statuses"]
    out.append("/* The error code of each iotevents_status value (index = status; 0 is IOTEVENTS_OK). */")
    out.append("#define IE_STATUS_MAX %d" % max(s["code"] for s in st))
    out.append("static const char *const ie_status_codes[IE_STATUS_MAX + 1] = {")
    names = {s["code"]: s["name"] for s in st}
    for code in range(0, max(names) + 1):
        out.append('    %s,' % (json.dumps(names[code]) if code in names else "NULL"))
    out.append("};")
    out.append("")
    out.append("#endif /* IOTEVENTS_LUA_OPERATIONS_H */")
    return "\n".join(out) + "\n"


# --- the header: checked, not written ------------------------------------------------------------

def check_header(m, header_path):
    """The header is the specification: its status enum, its documented configuration keys and
    its operation entry points must be the table's and the models'. Returns the disagreements."""
    with open(header_path) as f:
        text = f.read()
    problems = []
    enum = dict((name, int(code)) for name, code in re.findall(r"^\s+(IOTEVENTS_[A-Z_]+) = (\d+)", text, re.M))
    enum.pop("IOTEVENTS_OK", None)
    table = {s["constant"]: s["code"] for s in m.extras["statuses"]}
    if enum != table:
        problems.append("include/iotevents.h's iotevents_status %s differs from codegen-extras.json's statuses %s" % (enum, table))
    for s in m.extras["statuses"]:
        if not re.search(r"%s = %d,?\s+/\* %s " % (s["constant"], s["code"], s["name"]), text):
            problems.append("include/iotevents.h does not name %s for %s" % (s["name"], s["constant"]))
    declared = set(re.findall(r"^IOTEVENTS_API int iotevents_(\w+)\(iotevents_engine \*engine, const char \*request_json, char \*\*response_json\);", text, re.M))
    operations = set(snake(name) for _, name, _ in m.operations())
    if declared != operations:
        problems.append("include/iotevents.h's operation entry points differ from the models: missing %s, extra %s"
                        % (sorted(operations - declared), sorted(declared - operations)))
    block = re.search(r"config_json: NULL, or a JSON object whose keys are all optional:\n(.*?)\n \* An unknown key", text, re.S)
    if not block:
        problems.append("include/iotevents.h: the configuration key list of iotevents_open is missing")
    else:
        keys = re.findall(r'^ \*   "(\w+)"', block.group(1), re.M)
        table_keys = [c["key"] for c in m.extras["configKeys"]]
        if keys != table_keys:
            problems.append("include/iotevents.h documents the configuration keys %s, codegen-extras.json has %s" % (keys, table_keys))
    return problems


# --- driver ------------------------------------------------------------------------------------

def outputs(m):
    schema, entry_points, ops = swift_schema(m)
    return {
        "Sources/IoTEventsAPI/ServiceModel/ServiceSchema.generated.swift": schema,
        "Sources/IoTEvents/OperationEntryPoints.generated.swift": entry_points,
        "Sources/IoTEventsAPI/ServiceModel/operations.txt": ops,
        "Sources/IoTEventsCore/ServiceErrorKind.generated.swift": swift_status(m),
        "bindings/python/iotevents/_operations.py": python_table(m),
        "bindings/python/iotevents/_operations.pyi": python_stubs(m),
        "bindings/lua/src/operations.h": lua_table(m),
    }


def write(root, files):
    for rel, text in sorted(files.items()):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.isfile(path):
            with open(path) as f:
                if f.read() == text:
                    continue  # unchanged: keep its time stamp, so make rebuilds nothing
        with open(path, "w") as f:
            f.write(text)


def main(argv):
    m = Models()
    files = outputs(m)
    if argv[:1] == ["--out"] and len(argv) == 2:
        write(argv[1], files)
        return 0
    if argv == ["--check"]:
        problems = check_header(m, os.path.join(ROOT, "include", "iotevents.h"))
        tmp = tempfile.mkdtemp(prefix="codegen-")
        try:
            write(tmp, files)
            for rel in sorted(files):
                committed = os.path.join(ROOT, rel)
                if not os.path.isfile(committed):
                    problems.append("%s is missing" % rel)
                elif not filecmp.cmp(os.path.join(tmp, rel), committed, shallow=False):
                    problems.append("%s is stale" % rel)
        finally:
            shutil.rmtree(tmp)
        for p in problems:
            print("check-generated: " + p)
        if problems:
            print("check-generated: FAILED: run `make generate` (python3 tools/codegen.py) and commit the result; the header is hand-written: fix it or tools/codegen-extras.json")
            return 1
        print("check-generated: %d generated files are current; the header agrees (statuses, configuration keys, entry points)" % len(files))
        return 0
    if argv:
        sys.exit(__doc__)
    write(ROOT, files)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
