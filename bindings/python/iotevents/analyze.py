"""`iotevents analyze MODEL.json`: a detector model analysed by the engine (StartDetectorModelAnalysis,
docs/behaviour.md §8) and its results printed as a table, one row per result and one line per
location under it. The exit status is 1 when a result is an ERROR (the model would not be
created), 0 otherwise, so the command can gate a build."""
import json
from typing import Any, Dict, List, Optional, TextIO

from .engine import Engine
from .errors import ClientError


def definition_of(document: Dict[str, Any]) -> Dict[str, Any]:
    """The definition in a CreateDetectorModel request, a describe answer, or the definition itself."""
    if "detectorModel" in document:
        document = document["detectorModel"]
    if "detectorModelDefinition" in document:
        return document["detectorModelDefinition"]
    if "states" in document:
        return document
    raise ValueError("no detectorModelDefinition (nor states) in the model file")


def analyse(definition: Dict[str, Any], inputs: List[Dict[str, Any]],
            state_directory: Optional[str] = None) -> List[Dict[str, Any]]:
    """Every result of the analysis, all pages, against the engine's inputs plus `inputs`
    (CreateInput requests; an in-memory engine unless a state directory is given)."""
    config: Dict[str, Any] = {"clock": "manual"}
    if state_directory:
        config = {"state_directory": state_directory}
    with Engine(**config) as engine:
        for request in inputs:
            engine.call("CreateInput", request)
        analysis = engine.call("StartDetectorModelAnalysis", {"detectorModelDefinition": definition})["analysisId"]
        results: List[Dict[str, Any]] = []
        request = {"analysisId": analysis}
        while True:
            page = engine.call("GetDetectorModelAnalysisResults", request)
            results.extend(page.get("analysisResults", []))
            if not page.get("nextToken"):
                return results
            request = {"analysisId": analysis, "nextToken": page["nextToken"]}


def print_table(results: List[Dict[str, Any]], out: TextIO) -> None:
    """LEVEL, TYPE and MESSAGE columns; each location indented on its own line below."""
    if not results:
        print("no results", file=out)
        return
    levels = max(len("LEVEL"), *(len(r["level"]) for r in results))
    types = max(len("TYPE"), *(len(r["type"]) for r in results))
    print("%-*s  %-*s  %s" % (levels, "LEVEL", types, "TYPE", "MESSAGE"), file=out)
    for r in results:
        print("%-*s  %-*s  %s" % (levels, r["level"], types, r["type"], r["message"]), file=out)
        for location in r.get("locations", []):
            print("%*s  at %s" % (levels + types + 2, "", location["path"]), file=out)


def run(model_path: str, input_paths: List[str], state_directory: Optional[str], out: TextIO, err: TextIO) -> int:
    try:
        with open(model_path, encoding="utf-8") as f:
            definition = definition_of(json.load(f))
        inputs = []
        for path in input_paths:
            with open(path, encoding="utf-8") as f:
                inputs.append(json.load(f))
        results = analyse(definition, inputs, state_directory)
    except (OSError, ValueError, ClientError) as error:
        print("iotevents analyze: %s" % error, file=err)
        return 2
    print_table(results, out)
    return 1 if any(r["level"] == "ERROR" for r in results) else 0
