"""CloudFormation templates for `iotevents import`: reading them (JSON, or YAML with the short-form
intrinsic tags: PyYAML, the `import` extra), and resolving what a stack would resolve at creation:
Parameters (defaults, overridden by the caller; one without either is an error naming it),
Conditions, Mappings, the pseudo-parameters of a stated context, and the intrinsic functions Ref,
Fn::Sub, Fn::Join, Fn::GetAtt, Fn::If, Fn::Select, Fn::Split, Fn::Equals, Fn::Not, Fn::And,
Fn::Or, Fn::FindInMap, Fn::Base64, Condition, Fn::GetAZs and Fn::Cidr (cloudformation_computed),
Fn::ImportValue (from another template of the same import, or a value given: cloudformation_exports)
and, in a template declaring the AWS::LanguageExtensions transform, Fn::Length, Fn::ToJsonString
and Fn::FindInMap's DefaultValue (not Fn::ForEach: an error).

Ref to an IoT Events resource gives its name: the name property, or, when the template leaves it
out, the logical id itself (CloudFormation would make up `<stack>-<logical id>-<random>`, which is
neither reproducible nor, with its hyphens, a valid input name). Ref and Fn::GetAtt of the
resources IoT Events models commonly name (an IAM role, an SNS topic, an SQS queue, a Lambda
function, a DynamoDB table, a Firehose delivery stream: REFERENCES) give their names, ARNs and
URLs in the context's partition, region and account, so `RoleArn: !GetAtt Role.Arn` and
`TargetArn: !Ref AlertTopic` work; any other resource, or attribute, is an error for the resource
that asks for it."""
import base64
import json
import re
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Set, Tuple

from . import cloudformation_computed as computed
from .cloudformation_errors import TemplateError
from .stack_context import DEFAULT_CONTEXT, complete

if TYPE_CHECKING:
    from .cloudformation_exports import Exports

__all__ = ["TemplateError", "DEFAULT_CONTEXT", "Template", "Resource", "NO_VALUE", "parse", "is_template",
           "resolve_resource", "yaml_loader", "REFERENCES"]

#: What `Ref: AWS::NoValue` resolves to: the member (or list element) holding it is removed.
class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()

#: The functions with a YAML short form (!Ref, !GetAZs, ...).
FUNCTIONS = ("Ref", "Condition", "Fn::Sub", "Fn::Join", "Fn::GetAtt", "Fn::If", "Fn::Select", "Fn::Split",
             "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::Base64", "Fn::GetAZs", "Fn::Cidr",
             "Fn::ImportValue")
#: The AWS::LanguageExtensions transform's functions: only in a template declaring it, and (as
#: CloudFormation has it) only in the long form, so they have no YAML tag.
LANGUAGE_EXTENSIONS = ("Fn::Length", "Fn::ToJsonString")
LANGUAGE_EXTENSIONS_TRANSFORM = "AWS::LanguageExtensions"
#: Intrinsics that exist but cannot be resolved without AWS.
UNSUPPORTED = ("Fn::Transform",)


def is_template(document: Any) -> bool:
    return isinstance(document, dict) and (isinstance(document.get("Resources"), dict)
                                           or "AWSTemplateFormatVersion" in document)


# -- reading ---------------------------------------------------------------------------------------

def yaml_loader() -> Any:
    """A SafeLoader class that reads CloudFormation YAML: each short-form tag (!Ref, !GetAtt A.B,
    !Sub, ...) becomes its long form, and dates stay text (AWSTemplateFormatVersion: 2010-09-09)."""
    try:
        import yaml  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise RuntimeError("reading YAML templates needs PyYAML: pip install 'iotevents[import]' (or pyyaml)") from None

    class Loader(yaml.SafeLoader):  # type: ignore[misc,unused-ignore]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def construct(function: str) -> Callable[[Any, Any], Dict[str, Any]]:
        def build(loader: Any, node: Any) -> Dict[str, Any]:
            if isinstance(node, yaml.ScalarNode):
                value: Any = loader.construct_scalar(node)
                if function == "Fn::GetAtt":  # !GetAtt Resource.Attribute
                    resource, _, attribute = str(value).partition(".")
                    value = [resource, attribute]
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = loader.construct_mapping(node, deep=True)
            return {function: value}
        return build

    for function in FUNCTIONS + UNSUPPORTED:
        tag = "!" + (function[4:] if function.startswith("Fn::") else function)
        Loader.add_constructor(tag, construct(function))
    return Loader


def parse(text: str, yaml_allowed: bool = True) -> Any:
    """A JSON document, or (when it is not JSON) a YAML one read as CloudFormation YAML."""
    try:
        return json.loads(text)
    except ValueError as json_error:
        if not yaml_allowed:
            raise
        first = json_error
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        raise ValueError("not valid JSON: %s" % first)
    loader = yaml_loader()
    import yaml  # type: ignore[import-untyped,unused-ignore]
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise ValueError("neither JSON nor YAML: %s" % error) from None


# -- resolving -------------------------------------------------------------------------------------

class Resource:
    """One resource of a template: its logical id, type, properties and attributes."""

    def __init__(self, logical_id: str, definition: Any) -> None:
        if not isinstance(definition, dict) or not isinstance(definition.get("Type"), str):
            raise TemplateError("%s: a resource needs a Type" % logical_id)
        self.logical_id = logical_id
        self.type: str = definition["Type"]
        self.properties: Any = definition.get("Properties", {})
        self.condition: Optional[str] = definition.get("Condition")
        depends = definition.get("DependsOn", [])
        self.depends_on: List[str] = [depends] if isinstance(depends, str) else list(depends)


#: Per resource type: the property naming it, what Ref gives, and the attributes Fn::GetAtt
#: resolves ({name}: the physical name; {partition}, {region}, {account}, {suffix}: the context).
#: The IoT Events resources, and those their actions and roles commonly refer to.
REFERENCES: Dict[str, Tuple[str, str, Dict[str, str]]] = {
    "AWS::IoTEvents::Input": ("InputName", "{name}", {}),
    "AWS::IoTEvents::DetectorModel": ("DetectorModelName", "{name}", {}),
    "AWS::IoTEvents::AlarmModel": ("AlarmModelName", "{name}", {}),
    "AWS::IAM::Role": ("RoleName", "{name}", {"Arn": "arn:{partition}:iam::{account}:role/{name}"}),
    "AWS::SNS::Topic": ("TopicName", "arn:{partition}:sns:{region}:{account}:{name}",
                        {"TopicArn": "arn:{partition}:sns:{region}:{account}:{name}", "TopicName": "{name}"}),
    "AWS::SQS::Queue": ("QueueName", "https://sqs.{region}.{suffix}/{account}/{name}",
                        {"Arn": "arn:{partition}:sqs:{region}:{account}:{name}", "QueueName": "{name}",
                         "QueueUrl": "https://sqs.{region}.{suffix}/{account}/{name}"}),
    "AWS::Lambda::Function": ("FunctionName", "{name}", {"Arn": "arn:{partition}:lambda:{region}:{account}:function:{name}"}),
    "AWS::DynamoDB::Table": ("TableName", "{name}", {"Arn": "arn:{partition}:dynamodb:{region}:{account}:table/{name}"}),
    "AWS::KinesisFirehose::DeliveryStream": ("DeliveryStreamName", "{name}",
                                             {"Arn": "arn:{partition}:firehose:{region}:{account}:deliverystream/{name}"}),
}


class Template:
    """A template with its parameter values and pseudo-parameters, resolving values on request."""

    def __init__(self, document: Dict[str, Any], parameters: Dict[str, str],
                 context: Dict[str, str], source: str = "", exports: "Optional[Exports]" = None) -> None:
        self.language_extensions = _language_extensions(document.get("Transform"))
        self.document = document
        self.source = source  # where the template was read: how exports name it
        self.exports = exports
        self.context = complete(context)
        resources = document.get("Resources")
        if not isinstance(resources, dict):
            raise TemplateError("Resources: expected an object of resources")
        loops = [logical_id for logical_id in resources if logical_id.startswith("Fn::ForEach::")]
        if loops:  # the transform's resource templates: not expanded here (not a resource without a Type)
            raise TemplateError("%s: Fn::ForEach is not supported by iotevents import" % loops[0])
        self.resources = {logical_id: Resource(logical_id, definition) for logical_id, definition in resources.items()}
        self.mappings: Dict[str, Any] = document.get("Mappings") or {}
        self.conditions: Dict[str, Any] = document.get("Conditions") or {}
        self._condition_values: Dict[str, bool] = {}
        self._evaluating: Set[str] = set()
        declared = document.get("Parameters") or {}
        if not isinstance(declared, dict):
            raise TemplateError("Parameters: expected an object of parameters")
        self.parameters = self._parameters(declared, parameters)
        # An SSM parameter type's value is the name of a parameter in Systems Manager: unknown here,
        # unless given (then the value given is taken as what SSM holds).
        self._ssm = {name for name, declaration in declared.items() if name not in parameters
                     and isinstance(declaration, dict)
                     and str(declaration.get("Type", "")).startswith("AWS::SSM::Parameter::Value<")}
        self.references: Set[str] = set()  # the resources the last resolve() referred to
        # The resources of other templates the last resolve() reached through Fn::ImportValue:
        # (source, logical id), so that the importer creates them first, as CloudFormation would
        # create the exporting stack first.
        self.imported_references: Set[Tuple[str, str]] = set()

    @staticmethod
    def _parameters(declared: Dict[str, Any], given: Dict[str, str]) -> Dict[str, Any]:
        values: Dict[str, Any] = {}
        missing = []
        for name, declaration in declared.items():
            declaration = declaration if isinstance(declaration, dict) else {}
            if name in given:
                value: Any = given[name]
            elif "Default" in declaration:
                value = declaration["Default"]
                value = ",".join(map(str, value)) if isinstance(value, list) else str(value)
                if isinstance(declaration["Default"], bool):
                    value = value.lower()
            else:
                missing.append(name)
                continue
            allowed = declaration.get("AllowedValues")
            if isinstance(allowed, list) and value not in [str(a) for a in allowed]:
                raise TemplateError("parameter %s: %r is not one of its AllowedValues (%s)"
                                    % (name, value, ", ".join(map(str, allowed))))
            pattern = declaration.get("AllowedPattern")
            if isinstance(pattern, str) and not re.fullmatch(pattern, value):
                raise TemplateError("parameter %s: %r does not match its AllowedPattern %s" % (name, value, pattern))
            kind = str(declaration.get("Type", "String"))
            if kind == "CommaDelimitedList" or kind.startswith("List<"):
                values[name] = [item.strip() for item in value.split(",")] if value else []
            else:
                values[name] = value
        if missing:
            raise TemplateError("parameter%s %s: no value (no Default, and no --parameter %s=VALUE)"
                                % ("s" if len(missing) > 1 else "", ", ".join(missing), missing[0]))
        return values

    # -- conditions -------------------------------------------------------------------------------

    def condition(self, name: Any) -> bool:
        if not isinstance(name, str):
            raise TemplateError("a condition is named by text, got %r" % (name,))
        if name in self._condition_values:
            return self._condition_values[name]
        if name not in self.conditions:
            raise TemplateError("condition %s is not in Conditions" % name)
        if name in self._evaluating:
            raise TemplateError("condition %s refers to itself" % name)
        self._evaluating.add(name)
        try:
            value = self.resolve(self.conditions[name])
        finally:
            self._evaluating.discard(name)
        if not isinstance(value, bool):
            raise TemplateError("condition %s: not a boolean (%r)" % (name, value))
        self._condition_values[name] = value
        return value

    # -- values -----------------------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        """value with every intrinsic function replaced by its result (NO_VALUE members removed)."""
        if isinstance(value, list):
            resolved = [self.resolve(element) for element in value]
            return [element for element in resolved if element is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, argument), = value.items()
            if key in FUNCTIONS:
                return self._function(key, argument)
            if key in LANGUAGE_EXTENSIONS:
                if not self.language_extensions:
                    raise TemplateError("%s needs the %s transform (Transform: %s), as CloudFormation does"
                                        % (key, LANGUAGE_EXTENSIONS_TRANSFORM, LANGUAGE_EXTENSIONS_TRANSFORM))
                return self._function(key, argument)
            if key in UNSUPPORTED:
                raise TemplateError("%s cannot be resolved without AWS" % key)
        result = {}
        for key, element in value.items():
            element = self.resolve(element)
            if element is not NO_VALUE:
                result[key] = element
        return result

    def _function(self, name: str, argument: Any) -> Any:
        if name == "Ref":
            return self._ref(argument)
        if name == "Condition":
            return self.condition(self._text(argument, name))
        if name == "Fn::GetAtt":
            if isinstance(argument, str):
                argument = argument.split(".", 1)
            argument = self.resolve(argument)
            if not (isinstance(argument, list) and len(argument) == 2 and all(isinstance(a, str) for a in argument)):
                raise TemplateError("Fn::GetAtt: expected [LogicalId, Attribute], got %r" % (argument,))
            return self._get_att(argument[0], argument[1])
        if name == "Fn::Sub":
            return self._sub(argument)
        if name == "Fn::If":
            if not (isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)):
                raise TemplateError("Fn::If: expected [Condition, ValueIfTrue, ValueIfFalse], got %r" % (argument,))
            return self.resolve(argument[1] if self.condition(argument[0]) else argument[2])
        resolved = self.resolve(argument)
        if name == "Fn::ImportValue":
            if self.exports is None:
                raise TemplateError("Fn::ImportValue: no exports known here")
            return self.exports.value(self._text(resolved, name), self)
        if name == "Fn::GetAZs":
            return computed.get_azs(resolved, self.context["AWS::Region"])
        if name == "Fn::Cidr":
            return computed.cidr(resolved)
        if name == "Fn::Length":
            return computed.length(resolved)
        if name == "Fn::ToJsonString":
            return computed.to_json_string(resolved)
        if name == "Fn::Join":
            if not (isinstance(resolved, list) and len(resolved) == 2 and isinstance(resolved[1], list)):
                raise TemplateError("Fn::Join: expected [Delimiter, [Values...]], got %r" % (resolved,))
            return self._text(resolved[0], name).join(self._text(v, name) for v in resolved[1])
        if name == "Fn::Select":
            if not (isinstance(resolved, list) and len(resolved) == 2 and isinstance(resolved[1], list)):
                raise TemplateError("Fn::Select: expected [Index, [Values...]], got %r" % (resolved,))
            try:
                index = int(resolved[0]) if not isinstance(resolved[0], bool) else -1
            except (TypeError, ValueError):
                index = -1
            # Counted from the start only: Python's negative indexes are no index to CloudFormation.
            if not 0 <= index < len(resolved[1]):
                raise TemplateError("Fn::Select: index %r out of %d values" % (resolved[0], len(resolved[1])))
            return resolved[1][index]
        if name == "Fn::Split":
            if not (isinstance(resolved, list) and len(resolved) == 2):
                raise TemplateError("Fn::Split: expected [Delimiter, Text], got %r" % (resolved,))
            return self._text(resolved[1], name).split(self._text(resolved[0], name))
        if name == "Fn::Equals":
            if not (isinstance(resolved, list) and len(resolved) == 2):
                raise TemplateError("Fn::Equals: expected [Value1, Value2], got %r" % (resolved,))
            return _comparable(resolved[0]) == _comparable(resolved[1])
        if name == "Fn::Not":
            if not (isinstance(resolved, list) and len(resolved) == 1 and isinstance(resolved[0], bool)):
                raise TemplateError("Fn::Not: expected [Condition], got %r" % (resolved,))
            return not resolved[0]
        if name in ("Fn::And", "Fn::Or"):
            if not (isinstance(resolved, list) and resolved and all(isinstance(v, bool) for v in resolved)):
                raise TemplateError("%s: expected a list of conditions, got %r" % (name, resolved))
            return all(resolved) if name == "Fn::And" else any(resolved)
        if name == "Fn::FindInMap":
            default = self._find_in_map_default(resolved)
            if not (isinstance(resolved, list) and len(resolved) == 3):
                raise TemplateError("Fn::FindInMap: expected [MapName, TopLevelKey, SecondLevelKey], got %r" % (resolved,))
            keys = [self._text(k, name) for k in resolved]
            found: Any = self.mappings
            for depth, key in enumerate(keys):
                if not isinstance(found, dict) or key not in found:
                    if default:
                        return default[0]
                    raise TemplateError("Fn::FindInMap: %s has no %s" % (
                        "Mappings" if depth == 0 else ".".join(keys[:depth]), key))
                found = found[key]
            return found
        if name == "Fn::Base64":
            return base64.b64encode(self._text(resolved, name).encode("utf-8")).decode("ascii")
        raise TemplateError("%s is not supported" % name)  # pragma: no cover - FUNCTIONS is complete

    def _find_in_map_default(self, resolved: Any) -> List[Any]:
        """[the DefaultValue] of a Fn::FindInMap with a fourth argument {DefaultValue: ...} (which
        it removes from `resolved`), [] without one. Only the AWS::LanguageExtensions transform
        allows it."""
        if not (isinstance(resolved, list) and len(resolved) == 4):
            return []
        option = resolved.pop()
        if not (isinstance(option, dict) and set(option) == {"DefaultValue"}):
            raise TemplateError("Fn::FindInMap: the fourth argument must be {DefaultValue: ...}, got %r" % (option,))
        if not self.language_extensions:
            raise TemplateError("Fn::FindInMap with a DefaultValue needs the %s transform (Transform: %s), as "
                                "CloudFormation does" % (LANGUAGE_EXTENSIONS_TRANSFORM, LANGUAGE_EXTENSIONS_TRANSFORM))
        return [option["DefaultValue"]]

    @staticmethod
    def _text(value: Any, where: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        raise TemplateError("%s: expected text, got %r" % (where, value))

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            raise TemplateError("Ref: expected a name, got %r" % (name,))
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.context:
            return self.context[name]
        if name.startswith("AWS::"):
            raise TemplateError("Ref %s: a pseudo-parameter not known here (known: AWS::NoValue, %s)"
                                % (name, ", ".join(sorted(self.context))))
        if name in self._ssm:
            raise TemplateError("Ref %s: an SSM parameter (%s), which cannot be read without AWS: give --parameter %s=VALUE"
                                % (name, self.parameters[name], name))
        if name in self.parameters:
            return self.parameters[name]
        if name in self.resources:
            resource = self.resources[name]
            if resource.type not in REFERENCES:
                raise TemplateError("Ref %s: a resource of type %s, whose Ref cannot be resolved here" % (name, resource.type))
            self.references.add(name)
            return self._format(REFERENCES[resource.type][1], resource)
        raise TemplateError("Ref %s: neither a parameter, a pseudo-parameter nor a resource of the template" % name)

    def physical_name(self, resource: Resource) -> str:
        """The resource's name: its name property, resolved, or its logical id."""
        properties = resource.properties if isinstance(resource.properties, dict) else {}
        prop = REFERENCES[resource.type][0]
        if prop not in properties:
            return resource.logical_id
        value = self.resolve(properties[prop])
        if value is NO_VALUE:
            return resource.logical_id
        return self._text(value, "%s.%s" % (resource.logical_id, prop))

    def _get_att(self, logical_id: str, attribute: str) -> Any:
        resource = self.resources.get(logical_id)
        if resource is None:
            raise TemplateError("Fn::GetAtt %s.%s: no resource %s in the template" % (logical_id, attribute, logical_id))
        attributes = REFERENCES.get(resource.type, ("", "", {}))[2]
        if attribute in attributes:
            self.references.add(logical_id)
            return self._format(attributes[attribute], resource)
        raise TemplateError("Fn::GetAtt %s.%s: the attribute %s of an %s is not supported"
                            % (logical_id, attribute, attribute, resource.type))

    def _format(self, pattern: str, resource: Resource) -> str:
        return pattern.format(name=self.physical_name(resource), partition=self.context["AWS::Partition"],
                              region=self.context["AWS::Region"], account=self.context["AWS::AccountId"],
                              suffix=self.context["AWS::URLSuffix"])

    _SUB = re.compile(r"\$\{([^}]*)\}")

    def _sub(self, argument: Any) -> str:
        if isinstance(argument, str):
            text, variables = argument, {}
        elif isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            text, variables = argument[0], {k: self.resolve(v) for k, v in argument[1].items()}
        else:
            raise TemplateError("Fn::Sub: expected Text or [Text, {Variables}], got %r" % (argument,))
        if not isinstance(text, str):
            raise TemplateError("Fn::Sub: expected text, got %r" % (text,))

        def replace(match: "re.Match[str]") -> str:
            name = match.group(1)
            if name.startswith("!"):  # ${!Literal} is written ${Literal}
                return "${" + name[1:] + "}"
            name = name.strip()
            if name in variables:
                return self._text(variables[name], "Fn::Sub ${%s}" % name)
            if "." in name and not name.startswith("AWS::"):
                resource, _, attribute = name.partition(".")
                return self._text(self._get_att(resource, attribute), "Fn::Sub ${%s}" % name)
            value = self._ref(name)
            if isinstance(value, list):
                raise TemplateError("Fn::Sub ${%s}: a list parameter" % name)
            return self._text(value, "Fn::Sub ${%s}" % name)

        return self._SUB.sub(replace, text)


def _language_extensions(transform: Any) -> bool:
    """Whether a template's Transform is the AWS::LanguageExtensions transform (alone or in a
    list), which is resolved here; any other transform is a macro only CloudFormation can expand."""
    if transform is None:
        return False
    transforms = transform if isinstance(transform, list) else [transform]
    others = [t for t in transforms if t != LANGUAGE_EXTENSIONS_TRANSFORM]
    if others:
        raise TemplateError("Transform %r: macros cannot be expanded without CloudFormation" % (others[0],))
    return True


def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def resolve_resource(template: Template, resource: Resource) -> Tuple[Any, Set[str], Set[Tuple[str, str]]]:
    """(resolved properties, logical ids it refers to, (source, logical id) of the other
    templates' resources it reaches through their exports) of a resource."""
    template.references = set()
    template.imported_references = set()
    properties = template.resolve(resource.properties)
    return properties, set(template.references), set(template.imported_references)
