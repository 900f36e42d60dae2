"""`iotevents import FILE...`: the inputs, detector models and alarm models of CloudFormation/CDK
templates, saved describe outputs and plain Create requests, as Create requests in the order an
engine accepts them (inputs, then detector models, then alarm models, DependsOn and Ref honoured).

All or nothing: every file is converted first, then every request is created on a scratch
in-memory engine; then what is to happen in the state directory (create, or with --update also
update or leave unchanged: import_update) is done on a second scratch engine holding what the
state directory holds, and only when all of that succeeds is it done, on a copy of the state
directory that then replaces it in one rename (staged_directory: a crash changes nothing). Each
problem is reported with its file and logical id; any problem means nothing is loaded."""
import json
import os
from typing import IO, Any, Dict, List, Optional, Set, Tuple, Union

from . import cloudformation, import_shapes, import_state, import_update
from .cloudformation_exports import Exports
from .errors import ClientError
from .staged_directory import InUse, StagedDirectory

_RANK = {"CreateInput": 0, "CreateDetectorModel": 1, "CreateAlarmModel": 2}
_DESCRIBE = import_state.DESCRIBE


class Item:
    """One Create request, where it came from, and the items (keys) it must follow."""

    def __init__(self, source: str, operation: str, request: Dict[str, Any], logical_id: Optional[str] = None,
                 depends: Optional[Set[Tuple[str, str]]] = None) -> None:
        self.source = source
        self.operation = operation
        self.request = request
        self.logical_id = logical_id
        self.depends = depends or set()
        # The resource as an engine holds it once created (set by validate): what --update
        # compares with what the state directory holds.
        self.created: Optional[import_state.Held] = None

    @property
    def key(self) -> Tuple[str, str]:
        return (self.source, self.logical_id or "")

    @property
    def name(self) -> str:
        return str(self.request.get(_DESCRIBE[self.operation][1], "?"))

    @property
    def label(self) -> str:
        return "%s %s" % (import_shapes.KINDS[self.operation], self.name)

    @property
    def where(self) -> str:
        return "%s: %s" % (self.source, self.logical_id) if self.logical_id else self.source


class Result:
    """What reading the files gave: the requests in order, the resources skipped (lines to print)
    and the problems (lines to print; any means nothing is loaded)."""

    def __init__(self) -> None:
        self.items: List[Item] = []
        self.skipped: List[str] = []
        self.problems: List[str] = []


def _documents(text: str, path: str) -> List[Tuple[str, Any]]:
    """(where, document) of a file: one JSON or YAML document, or JSON Lines (one a line)."""
    try:
        return [(path, json.loads(text))]
    except ValueError:
        pass
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > 1 and all(line.lstrip().startswith("{") for _, line in lines):
        documents = []
        for number, line in lines:
            try:
                documents.append(("%s line %d" % (path, number), json.loads(line)))
            except ValueError as error:
                raise ValueError("line %d: not JSON: %s" % (number, error)) from None
        return documents
    return [(path, cloudformation.parse(text))]


def read(paths: List[str], parameters: Dict[str, str], context: Dict[str, str],
         import_values: Optional[Dict[str, str]] = None, stack_names: Optional[Dict[str, str]] = None) -> Result:
    """Every file's requests, ordered; problems and skipped resources reported in the Result.
    import_values: what Fn::ImportValue gives for exports of stacks not imported. stack_names:
    AWS::StackName per FILE as given ("" for every file without its own)."""
    result = Result()
    declared: Set[str] = set()
    exports = Exports(import_values or {})
    templates: List[cloudformation.Template] = []
    # What each document gives, in the order read: a template (its resources resolved once every
    # template's exports are known) or the requests of a describe output or Create request.
    read_in_order: List[Union[cloudformation.Template, List[Item]]] = []
    stack_names = stack_names or {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                documents = _documents(f.read(), path)
        except (OSError, ValueError, RuntimeError) as error:
            result.problems.append("%s: %s" % (path, error))
            continue
        for where, document in documents:
            if cloudformation.is_template(document):
                parameters_declared = document.get("Parameters") or {}
                declared.update(parameters_declared if isinstance(parameters_declared, dict) else {})
                stack_name = stack_names.get(path, stack_names.get(""))
                template = _template(where, document, parameters,
                                     dict(context, **{"AWS::StackName": stack_name}) if stack_name else context,
                                     exports, result)
                if template is not None:
                    templates.append(template)
                    read_in_order.append(template)
                continue
            try:
                read_in_order.append([Item(where, operation, request)
                                      for operation, request in import_shapes.document_requests(document)])
            except ValueError as error:
                result.problems.append("%s: %s" % (where, error))
    # Every template's exports are known before any resource is resolved: a template may import
    # from one named after it on the command line.
    for template in templates:
        result.problems.extend("%s: %s" % (template.source, problem) for problem in exports.add(template))
    for entry in read_in_order:
        if isinstance(entry, list):
            result.items.extend(entry)
        else:
            _read_template(entry, result)
    named = sorted(set(stack_names) - {""} - set(paths))
    if named:
        result.problems.append("--stack-name %s=...: not one of the FILEs (%s)" % (named[0], ", ".join(paths)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        result.problems.append("--parameter %s: no template declares %s" % (", ".join(unknown), "them" if len(unknown) > 1 else "it"))
    if not result.problems:
        result.items = _ordered(result.items, result.problems)
    return result


def _template(path: str, document: Dict[str, Any], given: Dict[str, str], context: Dict[str, str],
              exports: Exports, result: Result) -> Optional[cloudformation.Template]:
    declared = document.get("Parameters") or {}
    declared = declared if isinstance(declared, dict) else {}
    try:
        return cloudformation.Template(document, {k: v for k, v in given.items() if k in declared}, context,
                                       source=path, exports=exports)
    except cloudformation.TemplateError as error:
        result.problems.append("%s: %s" % (path, error))
        return None


def _read_template(template: cloudformation.Template, result: Result) -> None:
    path = template.source
    ours = {logical_id: resource for logical_id, resource in template.resources.items()
            if resource.type in import_shapes.RESOURCE_TYPES}
    skipped: Set[str] = set()
    items: List[Item] = []
    for logical_id, resource in ours.items():
        where = "%s: %s" % (path, logical_id)
        operation, name_member = import_shapes.RESOURCE_TYPES[resource.type]
        kind = import_shapes.KINDS[operation]
        try:
            if resource.condition is not None and not template.condition(resource.condition):
                skipped.add(logical_id)
                result.skipped.append("skipped %s %s (condition %s is false)"
                                      % (kind, _name_or_id(template, resource), resource.condition))
                continue
            properties, references, imported = cloudformation.resolve_resource(template, resource)
            if not isinstance(properties, dict):
                raise import_shapes.ConversionError("Properties: expected an object")
            _, request = import_shapes.resource_request(resource.type, properties)
        except (cloudformation.TemplateError, import_shapes.ConversionError) as error:
            result.problems.append("%s (%s): %s" % (where, resource.type, error))
            continue
        request.setdefault(name_member, logical_id)
        depends = set(imported)
        for dependency in sorted(set(resource.depends_on) | references):
            if dependency not in template.resources:
                result.problems.append("%s: DependsOn %s: no such resource in the template" % (where, dependency))
            elif dependency in ours:
                depends.add((path, dependency))
        items.append(Item(path, operation, request, logical_id, depends))
    for item in items:
        for _, dependency in sorted(item.depends):
            if dependency in skipped:
                result.problems.append("%s: refers to %s, which its condition skipped" % (item.where, dependency))
    result.items.extend(items)


def _name_or_id(template: cloudformation.Template, resource: cloudformation.Resource) -> str:
    try:
        return template.physical_name(resource)
    except cloudformation.TemplateError:
        return resource.logical_id


def _ordered(items: List[Item], problems: List[str]) -> List[Item]:
    """items so that each follows those it depends on; otherwise inputs, then detector models,
    then alarm models, each in the order read."""
    index = {item.key: item for item in items if item.logical_id}
    waiting = list(enumerate(items))
    done: Set[Tuple[str, str]] = set()
    ordered: List[Item] = []
    while waiting:
        ready = [(position, item) for position, item in waiting if all(d in done or d not in index for d in item.depends)]
        if not ready:
            problems.append("a DependsOn/Ref cycle among: %s" % ", ".join(item.where for _, item in waiting))
            return []
        position, item = min(ready, key=lambda entry: (_RANK[entry[1].operation], entry[0]))
        waiting.remove((position, item))
        done.add(item.key)
        ordered.append(item)
    return ordered


# -- validating and loading ------------------------------------------------------------------------

def _engine_config(region: Optional[str], account_id: Optional[str]) -> Dict[str, Any]:
    config: Dict[str, Any] = {}
    if region:
        config["region"] = region
    if account_id:
        config["account_id"] = account_id
    return config


def _message(error: ClientError) -> str:
    detail = error.response.get("Error", {})
    return "%s: %s" % (detail.get("Code"), detail.get("Message"))


def _scratch(region: Optional[str], account_id: Optional[str]) -> Any:
    from .engine import Engine
    return Engine(clock="manual", start_time_millis=0, **_engine_config(region, account_id))


def validate(items: List[Item], region: Optional[str] = None, account_id: Optional[str] = None) -> List[str]:
    """The problems of creating every request, in order, on a scratch in-memory engine (and
    each item's `created`: the resource as that engine then holds it)."""
    problems = []
    with _scratch(region, account_id) as engine:
        for item in items:
            try:
                engine.call(item.operation, item.request)
                item.created = import_state.held(engine, item.operation, item.name)
            except ClientError as error:
                problems.append("%s (%s): %s" % (item.where, item.label, _message(error)))
    return problems


def _apply(engine: Any, steps: List[import_update.Step]) -> List[str]:
    """Makes every step's calls in turn; the problem of the first that fails (none: [])."""
    for step in steps:
        for operation, request in step.calls:
            try:
                engine.call(operation, request)
            except ClientError as error:
                return ["%s (%s): %s: %s" % (step.item.where, step.item.label, operation, _message(error))]
    return []


def load(items: List[Item], state_directory: str, out: IO[str], region: Optional[str] = None,
         account_id: Optional[str] = None, update: bool = False) -> List[str]:
    """Creates (with `update`, also updates) the validated items in the state directory's engine,
    printing `created`, `updated` or `unchanged` and the resource for each; the problems (then
    nothing is changed). The calls go to a copy of the state directory that replaces it in one
    rename when all of them succeeded (staged_directory): a crash part-way changes nothing."""
    try:
        with StagedDirectory(state_directory) as staged:
            problems, steps = _load(items, staged.path, state_directory, region, account_id, update)
            if problems:
                return problems
            if steps:
                staged.commit()
    except InUse as error:
        return [str(error)]
    except OSError as error:
        return ["%s: %s" % (state_directory, error)]
    for step in steps:
        print("%s %s" % (step.outcome, step.item.label), file=out)
    return []


def _load(items: List[Item], directory: str, shown: str, region: Optional[str], account_id: Optional[str],
          update: bool) -> Tuple[List[str], List[import_update.Step]]:
    """The steps made in the engine of `directory` (a copy of the state directory `shown`), or
    the problems that kept them from being made."""
    from .engine import Engine
    problems: List[str] = []
    steps: List[import_update.Step] = []
    # The system clock (no timer thread): creationTime is now, and nothing fires while loading.
    with Engine(state_directory=directory, **_engine_config(region, account_id)) as engine:
        for item in items:
            assert item.created is not None, "validate() first"
            try:
                existing = import_state.held(engine, item.operation, item.name, tags=update)
            except ClientError as error:  # its tags, under another region or account than this import's
                problems.append("%s (%s): in the state directory: %s" % (item.where, item.label, _message(error)))
                continue
            step, problem = import_update.step(item, existing, item.created, update)
            if problem:
                problems.append(problem)
            elif step:
                steps.append(step)
        if problems:
            return problems, []
        # The same calls first on a scratch engine holding what the state directory holds: an
        # update or a creation that fails there is reported before any call is made.
        with _scratch(region, account_id) as scratch:
            for operation, resource in import_state.everything(engine, tags=update):
                try:
                    scratch.call(operation, resource.create_request())
                except ClientError as error:
                    problems.append("%s holds %s, which a scratch engine refuses: %s"
                                    % (shown, resource.arn, _message(error)))
            problems = problems or _apply(scratch, steps)
        if problems:
            return problems, []
        problems = _apply(engine, steps)
    return problems, steps


def emit(items: List[Item], out: IO[str]) -> None:
    """The requests as JSON Lines: {"operation": ..., "request": ...}."""
    for item in items:
        print(json.dumps({"operation": item.operation, "request": item.request}), file=out)
