#!/usr/bin/env python3
"""Independent oracle for the alarm transition table.

    python3 Tests/alarm-table/check.py CASES_DIR        (e.g. Tests/cases)

Reads Tests/alarm-table/transitions.tsv (next to this file) and the recorded transcripts
CASES_DIR/alarm-transitions-ackflow-{on,off}/expected, and checks every table row against what
the library printed. It relies only on the documented case layout (key "r<row>", two DescribeAlarm
calls per key: after the setup and after the stimulus; the stimulus is the last command before
the second one that is not a DescribeAlarm) - it does not import generate.py.

Per row it checks: the from-state and alarmState left by the setup (#setup lines), setup commands
without errors, the stimulus command's kind, final stateName, presence of ruleEvaluation /
customerAction / systemEvent and customerAction.actionName (with note "stimulus" when the stimulus
was the recorded action), error entry InvalidRequestException for requestId "stim" iff
rejected, the number and kind of action documents the stimulus produced for the key (stateChanged
yes: 1 sns + 1 alarmNotification with ack flow on, 1 sns with it off; otherwise 0), their source
stateName, their payload's alarmState members and time, and lastUpdateTime (moves iff updated).
It also checks that the final far tick ends exactly the snoozes still pending: every key left in
SNOOZE_DISABLED by its stimulus gets one SNOOZE_TIMEOUT change there, every other key none.
Standard library only. Exit status 1 on any mismatch.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MEMBERS = ("ruleEvaluation", "customerAction", "systemEvent")
OPS = {"BatchAcknowledgeAlarm": "ACKNOWLEDGE", "BatchSnoozeAlarm": "SNOOZE",
       "BatchDisableAlarm": "DISABLE", "BatchEnableAlarm": "ENABLE", "BatchResetAlarm": "RESET"}
RULE_THRESHOLD = 50
STATES = ["DISABLED", "NORMAL", "ACTIVE", "ACKNOWLEDGED", "LATCHED", "SNOOZE_DISABLED"]
STIMULI = ["ruleTrue", "ruleFalse", "ACKNOWLEDGE", "SNOOZE", "DISABLE", "ENABLE", "RESET", "snoozeExpiry"]


def yes(v):
    if v not in ("yes", "no"):
        raise ValueError("expected yes/no, got %r" % v)
    return v == "yes"


def read_table(path):
    rows, setups, header = [], {}, None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#setup\t"):
                f_ = line.split("\t")
                setups[(f_[1], f_[2])] = {"steps": f_[3], "ruleEvaluation": yes(f_[4]),
                                          "customerAction": yes(f_[5]), "systemEvent": yes(f_[6]),
                                          "actionName": f_[7]}
                continue
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                sys.exit("check.py: transitions.tsv line %d: %d fields, header has %d"
                         % (n, len(fields), len(header)))
            row = dict(zip(header, fields))
            row["line"] = n
            rows.append(row)
    return rows, setups


class Block:
    """One echoed command and everything printed until the next one."""

    def __init__(self, index, command):
        self.index = index
        self.command = command
        self.responses = []   # text after "< "
        self.actions = []     # decoded action documents

    def verb(self):
        return self.command.split(" ", 1)[0]

    def op(self):
        parts = self.command.split(" ", 2)
        return parts[1] if len(parts) > 1 else ""

    def request(self):
        parts = self.command.split(" ", 2)
        if len(parts) < 3 or not parts[2].startswith("{"):
            return None
        return json.loads(parts[2])

    def document(self):
        """The JSON document of the first status response (`< 0 {...}`)."""
        for r in self.responses:
            status, _, rest = r.partition(" ")
            if rest.startswith("{"):
                return int(status), json.loads(rest)
        return None, None


def parse_transcript(path):
    blocks = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("> "):
                blocks.append(Block(len(blocks), line[2:]))
            elif not blocks:
                raise SystemExit("check.py: %s:%d: output before the first command" % (path, n))
            elif line.startswith("< "):
                blocks[-1].responses.append(line[2:])
            elif line.startswith("! action "):
                _, _, rest = line.partition("! action ")
                name, _, doc = rest.partition(" ")
                blocks[-1].actions.append(json.loads(doc))
            else:
                blocks[-1].responses.append(line)
    return blocks


def block_key(b):
    """The alarm key a command is about (None for tick/open/...)."""
    req = b.request()
    if req is None:
        return None
    if b.verb() == "put":
        return req.get("id")
    if "keyValue" in req:
        return req["keyValue"]
    for v in req.values():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            return v[0].get("keyValue")
    return None


def is_describe(b):
    return b.verb() == "call" and b.op() == "DescribeAlarm"


def alarm_of(b):
    status, doc = b.document()
    if status != 0 or not doc or "alarm" not in doc:
        return None
    return doc["alarm"]


def error_entries(b):
    status, doc = b.document()
    if doc is None:
        return None
    if b.verb() == "put":
        return doc.get("BatchPutMessageErrorEntries", [])
    return doc.get("errorEntries", [])


def members(state):
    return {m: m in state for m in MEMBERS}


class Checker:
    def __init__(self):
        self.problems = []

    def bad(self, row, what, expected, got, line=None):
        msg = "row %s (%s %s + %s): %s: expected %s, got %s" % (
            row["row"], row["ackFlow"], row["from"], row["stimulus"], what, expected, got)
        if line:
            msg += "\n      transcript: > " + line
        self.problems.append(msg)


def check_case(chk, ack, rows, setups, blocks):
    ack_on = ack == "on"
    per_change = 2 if ack_on else 1
    # Track the manual clock and the snooze due time per key, from the transcript itself.
    now, now_at = None, {}
    snooze_due = {}
    for b in blocks:
        if b.verb() == "open":
            now = json.loads(b.command.split(" ", 1)[1])["startTimeMillis"]
        elif b.verb() == "tick" and len(b.command.split()) == 2:
            now = int(b.command.split()[1])
        now_at[b.index] = now
        if b.verb() == "call" and b.op() == "BatchSnoozeAlarm":
            entries = error_entries(b) or []
            entry = b.request()["snoozeActionRequests"][0]
            if not entries:
                snooze_due[(b.index, entry["keyValue"])] = now + entry["snoozeDuration"] * 1000
    far_tick = max((b for b in blocks if b.verb() == "tick"), key=lambda b: int(b.command.split()[1]))

    def last_snooze_due(key, before):
        best = None
        for (idx, k), due in snooze_due.items():
            if k == key and idx < before and (best is None or idx > best[0]):
                best = (idx, due)
        return best[1] if best else None

    for row in rows:
        key = "r" + row["row"]
        mine = [b for b in blocks if block_key(b) == key]
        describes = [b for b in mine if is_describe(b)]
        if len(describes) != 2:
            chk.bad(row, "DescribeAlarm calls for key " + key, 2, len(describes))
            continue
        pre_b, post_b = describes
        pre, post = alarm_of(pre_b), alarm_of(post_b)
        if pre is None or post is None:
            chk.bad(row, "DescribeAlarm answers", "an alarm", (pre_b.responses, post_b.responses))
            continue

        # --- the setup -------------------------------------------------------------------
        setup = setups.get((ack, row["from"]))
        if setup is None:
            chk.bad(row, "#setup line", "one for " + ack + "/" + row["from"], "none")
            continue
        for b in mine:
            if b.index >= pre_b.index:
                break
            if error_entries(b):
                chk.bad(row, "setup command error entries", "none", error_entries(b), b.command)
        ps = pre["alarmState"]
        if ps["stateName"] != row["from"]:
            chk.bad(row, "from-state after setup", row["from"], ps["stateName"], pre_b.command)
            continue
        for m in MEMBERS:
            if (m in ps) != setup[m]:
                chk.bad(row, "setup leaves " + m, setup[m], m in ps)
        pre_name = ps.get("customerAction", {}).get("actionName", "-")
        if pre_name != setup["actionName"]:
            chk.bad(row, "setup customerAction", setup["actionName"], pre_name)
        setup_time = now_at[pre_b.index]
        if abs(pre["lastUpdateTime"] * 1000 - setup_time) > 0.5 or abs(pre["creationTime"] * 1000 - setup_time) > 0.5:
            chk.bad(row, "creationTime/lastUpdateTime after setup", setup_time / 1000.0,
                    (pre["creationTime"], pre["lastUpdateTime"]))

        # --- the stimulus ----------------------------------------------------------------
        between = [b for b in blocks[pre_b.index + 1:post_b.index] if not is_describe(b)]
        if not between:
            chk.bad(row, "stimulus command", "one before the second DescribeAlarm", "none")
            continue
        stim = between[-1]
        stimulus = row["stimulus"]
        if stimulus == "snoozeExpiry":
            ok = stim is far_tick
        elif stimulus in ("ruleTrue", "ruleFalse"):
            req = stim.request() or {}
            ok = (stim.verb() == "put" and req.get("id") == key and isinstance(req.get("v"), (int, float))
                  and (req["v"] > RULE_THRESHOLD) == (stimulus == "ruleTrue"))
        else:
            req = stim.request() or {}
            entry = None
            for v in req.values():
                if isinstance(v, list) and v:
                    entry = v[0]
            ok = (OPS.get(stim.op()) == stimulus and entry is not None and entry.get("keyValue") == key
                  and entry.get("requestId") == "stim")
        if not ok:
            chk.bad(row, "stimulus command", stimulus, stim.command)
            continue
        stim_time = now_at[stim.index]

        # rejected?
        entries = error_entries(stim) if stimulus != "snoozeExpiry" else []
        if entries is None:
            chk.bad(row, "stimulus response", "a status document", stim.responses, stim.command)
            continue
        got_rejected = any(e.get("errorCode") == "InvalidRequestException"
                           and e.get("requestId", "stim") == "stim" for e in entries)
        if got_rejected != yes(row["rejected"]) or (entries and not got_rejected):
            chk.bad(row, "rejected", row["rejected"], entries or "no error entry", stim.command)

        # final alarmState
        st = post["alarmState"]
        if st["stateName"] != row["expectedState"]:
            chk.bad(row, "stateName", row["expectedState"], st["stateName"], stim.command)
        for m in MEMBERS:
            if (m in st) != yes(row[m]):
                chk.bad(row, m + " present", row[m], "yes" if m in st else "no", stim.command)
        ca = st.get("customerAction", {})
        got_name = ca.get("actionName", "-")
        if got_name != row["actionName"]:
            chk.bad(row, "customerAction.actionName", row["actionName"], got_name)
        elif got_name != "-":
            notes = [v.get("note") for k, v in ca.items() if k.endswith("ActionConfiguration")]
            want_note = "stimulus" if (got_name == stimulus and not yes(row["rejected"])) else "setup"
            if notes != [want_note]:
                chk.bad(row, "customerAction note", want_note, notes)
        if "systemEvent" in st and st["systemEvent"] != {
                "eventType": "STATE_CHANGE", "stateChangeConfiguration": {"triggerType": "SNOOZE_TIMEOUT"}}:
            chk.bad(row, "systemEvent", "STATE_CHANGE/SNOOZE_TIMEOUT", st["systemEvent"])

        # timestamps: the snooze timeout happens at the snooze's due time (by analogy with §4.5:
        # a timer expiry's event time is its due time even when a later tick delivers it)
        if stimulus == "snoozeExpiry" and row["expectedState"] != row["from"]:
            stim_time = last_snooze_due(key, stim.index)
        want_update = stim_time if yes(row["updated"]) else setup_time
        if stim_time is None or abs(post["lastUpdateTime"] * 1000 - want_update) > 0.5:
            chk.bad(row, "lastUpdateTime", None if want_update is None else want_update / 1000.0,
                    post["lastUpdateTime"])
        if abs(post["creationTime"] * 1000 - setup_time) > 0.5:
            chk.bad(row, "creationTime", setup_time / 1000.0, post["creationTime"])

        # action documents of the stimulus, for this key
        docs = [d for d in stim.actions if d.get("source", {}).get("keyValue") == key]
        strays = [d for d in stim.actions if d.get("source", {}).get("keyValue") != key]
        if stimulus != "snoozeExpiry" and strays:
            chk.bad(row, "action documents of other keys", 0, len(strays), stim.command)
        changed = yes(row["stateChanged"])
        if changed != (row["expectedState"] != row["from"]):
            chk.bad(row, "table consistency (stateChanged vs from/expectedState)", "consistent", "not")
        want = {"sns": 1, "alarmNotification": 1 if ack_on else 0} if changed else {}
        got = {}
        for d in docs:
            got[d.get("type")] = got.get(d.get("type"), 0) + 1
        if {k: v for k, v in want.items() if v} != got:
            chk.bad(row, "action documents (stateChanged=%s)" % row["stateChanged"],
                    sum(want.values()), "%d %s" % (len(docs), got), stim.command)
        for d in docs:
            check_document(chk, row, d, key, stim_time)

    # --- the far tick ends exactly the snoozes still pending -----------------------------------
    for row in rows:
        if row["stimulus"] == "snoozeExpiry":
            continue   # checked above as the stimulus
        key = "r" + row["row"]
        docs = [d for d in far_tick.actions if d.get("source", {}).get("keyValue") == key]
        pending = row["expectedState"] == "SNOOZE_DISABLED"
        if len(docs) != (per_change if pending else 0):
            chk.bad(row, "action documents at the final far tick (snooze %s)"
                    % ("pending" if pending else "not pending"), per_change if pending else 0, len(docs),
                    far_tick.command)
        for d in docs:
            st = decoded_state(d)
            if d["source"].get("stateName") != "NORMAL" or "systemEvent" not in (st or {}):
                chk.bad(row, "far-tick document", "NORMAL with systemEvent", d["source"].get("stateName"))
            due = last_snooze_due(key, far_tick.index)
            if d.get("eventTime") != due:
                chk.bad(row, "far-tick document eventTime (snooze due time)", due, d.get("eventTime"))


def decoded_state(d):
    try:
        p = json.loads(d["payload"])
        if d["type"] == "alarmNotification":
            p = json.loads(p["notificationEventPayload"])
            return p["alarmState"]
        return p["payload"]["alarmState"]
    except (KeyError, ValueError, TypeError):
        return None


def check_document(chk, row, d, key, when):
    if d["source"].get("stateName") != row["expectedState"]:
        chk.bad(row, "action document source.stateName", row["expectedState"], d["source"].get("stateName"))
    st = decoded_state(d)
    if st is None:
        chk.bad(row, d.get("type") + " payload", "decodable alarm payload", d.get("payload"))
        return
    if st.get("stateName") != row["expectedState"]:
        chk.bad(row, d["type"] + " payload stateName", row["expectedState"], st.get("stateName"))
    for m in MEMBERS:
        if (m in st) != yes(row[m]):
            chk.bad(row, d["type"] + " payload " + m + " present", row[m], "yes" if m in st else "no")
    if d.get("eventTime") != when:
        chk.bad(row, d["type"] + " eventTime", when, d.get("eventTime"))
    p = json.loads(d["payload"])
    if d["type"] == "sns":
        inner = p.get("payload", {})
        if p.get("eventTime") != when or inner.get("stateUpdateTime") != when:
            chk.bad(row, "sns payload eventTime/stateUpdateTime", when,
                    (p.get("eventTime"), inner.get("stateUpdateTime")))
        if inner.get("keyValue") != key or p.get("eventName") != "alarmStateChange":
            chk.bad(row, "sns payload keyValue/eventName", (key, "alarmStateChange"),
                    (inner.get("keyValue"), p.get("eventName")))
    else:
        inner = json.loads(p["notificationEventPayload"])
        if inner.get("stateUpdateTime") != when or inner.get("keyValue") != key:
            chk.bad(row, "notification stateUpdateTime/keyValue", (when, key),
                    (inner.get("stateUpdateTime"), inner.get("keyValue")))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check.py CASES_DIR")
    cases_dir = sys.argv[1]
    rows, setups = read_table(os.path.join(HERE, "transitions.tsv"))
    seen, numbers = set(), set()
    for row in rows:
        for col in ("rejected", "stateChanged", "updated") + MEMBERS:
            try:
                yes(row[col])
            except ValueError as e:
                sys.exit("check.py: transitions.tsv line %d, %s: %s" % (row["line"], col, e))
        ident = (row["ackFlow"], row["from"], row["stimulus"])
        if ident in seen or row["row"] in numbers:
            sys.exit("check.py: transitions.tsv line %d: duplicate row %s" % (row["line"], ident))
        seen.add(ident)
        numbers.add(row["row"])
    for ack, states in (("on", STATES), ("off", [s for s in STATES if s not in ("ACKNOWLEDGED", "LATCHED")])):
        for state in states:
            for stimulus in STIMULI:
                if (ack, state, stimulus) not in seen:
                    sys.exit("check.py: transitions.tsv: no row for %s %s + %s" % (ack, state, stimulus))
    chk = Checker()
    checked = 0
    for ack in ("on", "off"):
        path = os.path.join(cases_dir, "alarm-transitions-ackflow-" + ack, "expected")
        if not os.path.exists(path):
            sys.exit("check.py: missing %s (run generate.py, then record with UPDATE=1)" % path)
        mine = [r for r in rows if r["ackFlow"] == ack]
        check_case(chk, ack, mine, setups, parse_transcript(path))
        checked += len(mine)
    if chk.problems:
        for p in chk.problems:
            print("MISMATCH " + p, file=sys.stderr)
        bad_rows = len({p.split(" ", 2)[1] for p in chk.problems})
        print("alarm-table: %d mismatches in %d of %d rows" % (len(chk.problems), bad_rows, checked),
              file=sys.stderr)
        sys.exit(1)
    print("alarm-table: %d rows checked" % checked)


if __name__ == "__main__":
    main()
