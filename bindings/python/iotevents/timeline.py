"""`iotevents timeline`: a picture of a replay's transcript (`iotevents replay --format json`):
one row per detector or alarm, its states as coloured spans over time, its actions as markers
and refused messages as red crosses, so that an operator sees at a glance what a model did and
when. Drawn by matplotlib (the `timeline` extra), written as SVG or PNG (from the file name)."""
import json
from typing import IO, Any, Dict, List, Optional, Tuple

Entry = Dict[str, Any]
Row = Tuple[str, str, Optional[str]]  # (kind, model, key)


def read_transcript(lines: IO[str]) -> List[Entry]:
    """The entries of a JSON Lines transcript; ValueError naming a line that is not one."""
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            raise ValueError("line %d: not JSON (a timeline reads `iotevents replay --format json`)" % number) from None
        if not isinstance(entry, dict) or "event" not in entry or "time" not in entry:
            raise ValueError("line %d: not a transcript entry (no event or time)" % number)
        entries.append(entry)
    return entries


def spans(entries: List[Entry]) -> Dict[Row, List[Tuple[int, int, str]]]:
    """Per detector or alarm, (start, end, state) spans: from its creation or a transition to
    the next transition, the last one to the transcript's end."""
    end = max((e["time"] for e in entries), default=0)
    current: Dict[Row, Tuple[int, str]] = {}
    result: Dict[Row, List[Tuple[int, int, str]]] = {}
    for e in entries:
        if e["event"] not in ("created", "transition"):
            continue
        row = (e.get("kind", "detector"), e["model"], e.get("key"))
        state = e["state"] if e["event"] == "created" else e["to"]
        if row in current:
            start, previous = current[row]
            result.setdefault(row, []).append((start, e["time"], previous))
        elif e["event"] == "transition":  # existed before the replay: its first state from its start
            first = min(x["time"] for x in entries)
            result.setdefault(row, []).append((first, e["time"], e["from"]))
        current[row] = (e["time"], state)
    for row, (start, state) in current.items():
        result.setdefault(row, []).append((start, max(end, start), state))
    return result


def draw(entries: List[Entry], output: str, title: Optional[str] = None) -> None:
    """Writes the picture of `entries` to `output` (.svg or .png)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text: searchable, selectable
        matplotlib.rcParams["svg.hashsalt"] = "iotevents"  # the same transcript gives the same SVG
        import matplotlib.pyplot as plt
        from matplotlib.patches import Rectangle
    except ImportError:
        raise RuntimeError("iotevents timeline needs matplotlib: pip install 'iotevents[timeline]'") from None
    if not output.lower().endswith((".svg", ".png")):
        raise ValueError("the output must be an .svg or a .png file: %s" % output)
    by_row = spans(entries)
    rows: List[Row] = sorted(by_row, key=lambda r: (r[1], r[2] or "", r[0]))
    for e in entries:  # detectors that only acted (created before the replay, no transition)
        acted: Row = (str(e.get("kind", "detector")), str(e.get("model") or ""), e.get("key"))
        if e["event"] == "action" and acted[1] and acted not in by_row and acted not in rows:
            rows.append(acted)
    index = {row: i for i, row in enumerate(rows)}
    states = sorted({s for row in by_row.values() for _, _, s in row})
    palette = plt.get_cmap("tab10")
    colour = {s: palette(i % 10) for i, s in enumerate(states)}
    t0 = min((e["time"] for e in entries), default=0)

    def minutes(t: int) -> float:
        return (t - t0) / 60000.0

    figure, axes = plt.subplots(figsize=(10, 1.6 + 0.45 * max(1, len(rows) + 1)))
    for row, row_spans in by_row.items():
        y = index[row]
        for start, end, state in row_spans:
            axes.barh(y, max(minutes(end) - minutes(start), 0.02), left=minutes(start), height=0.6,
                      color=colour[state], edgecolor="white", linewidth=0.5)
            axes.text(minutes(start), y, " " + state, va="center", ha="left", fontsize=7, clip_on=True)
    refused = [e for e in entries if e["event"] == "error"]
    for e in entries:
        if e["event"] == "action":
            at: Row = (str(e.get("kind", "detector")), str(e.get("model") or ""), e.get("key"))
            if at in index:  # above its row's bar, pointing at it
                axes.plot(minutes(e["time"]), index[at] - 0.42, marker="v", color="black", markersize=5)
    labels = ["%s[%s]" % (r[1], r[2] or "") for r in rows]
    if refused:  # a row of their own, below the others
        for e in refused:
            axes.plot(minutes(e["time"]), len(rows), marker="x", color="red", markersize=7)
        labels.append("refused messages")
    axes.set_yticks(range(len(labels)))
    axes.set_yticklabels(labels, fontsize=8)
    axes.set_ylim(-0.8, len(labels) - 0.4)
    axes.invert_yaxis()
    axes.set_xlabel("minutes after the first entry (%s)" % _stamp(t0))
    axes.set_title(title or "iotevents replay: states over time (▼ action, red × refused message)", fontsize=10, pad=22)
    handles = [Rectangle((0, 0), 1, 1, color=colour[s]) for s in states]
    if handles:
        axes.legend(handles, states, fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=min(len(states), 8),
                    frameon=False)
    figure.tight_layout()
    figure.savefig(output)
    plt.close(figure)


def _stamp(t: int) -> str:
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t // 1000))
