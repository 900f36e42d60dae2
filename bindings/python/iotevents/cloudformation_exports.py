"""Fn::ImportValue across the templates of one import: each template's Outputs with an
Export.Name (the name resolved like any value, so `!Sub '${AWS::StackName}-Readings'` works) are
the exports the others import, and `--import-value NAME=VALUE` gives those of stacks that are not
imported. As in CloudFormation, export names are unique, and a stack cannot import its own."""
from typing import TYPE_CHECKING, Any, Dict, List, Set, Tuple

from .cloudformation_errors import TemplateError

if TYPE_CHECKING:
    from .cloudformation import Template


class Exports:
    """The exports of the templates read so far, and the values given for others."""

    def __init__(self, given: Dict[str, str]) -> None:
        self.given = dict(given)
        self._exported: Dict[str, Tuple["Template", str]] = {}  # name: (template, output id)
        self._resolving: Set[str] = set()

    def add(self, template: "Template") -> List[str]:
        """Records the template's exports; the problems, each naming its output."""
        outputs = template.document.get("Outputs") or {}
        if not isinstance(outputs, dict):
            return ["Outputs: expected an object of outputs"]
        problems = []
        for output_id, output in outputs.items():
            if not isinstance(output, dict) or "Export" not in output:
                continue
            where = "Outputs.%s" % output_id
            try:
                # An output whose condition is false is not created, so neither is its export.
                if output.get("Condition") is not None and not template.condition(output["Condition"]):
                    continue
                export = output["Export"]
                if not isinstance(export, dict) or "Name" not in export:
                    raise TemplateError("Export: expected {Name: ...}, got %r" % (export,))
                name = template.resolve(export["Name"])
                if not isinstance(name, str) or not name:
                    raise TemplateError("Export.Name: expected text, got %r" % (name,))
            except TemplateError as error:
                problems.append("%s: %s" % (where, error))
                continue
            if name in self._exported:
                other, other_id = self._exported[name]
                problems.append("%s: export %s is exported by %s: Outputs.%s too (export names are unique)"
                                % (where, name, other.source, other_id))
            elif name in self.given:
                problems.append("%s: export %s is given by --import-value too" % (where, name))
            else:
                self._exported[name] = (template, output_id)
        return problems

    def value(self, name: str, asking: "Template") -> Any:
        """The value Fn::ImportValue `name` gives in the template `asking`: the exporting output's
        Value, resolved in its own template (whose resources it reaches are recorded in
        asking.imported_references), or the value given."""
        if name in self._exported:
            return self._exported_value(name, asking)
        if name in self.given:
            return self.given[name]
        known = ", ".join(sorted(set(self._exported) | set(self.given)))
        raise TemplateError("Fn::ImportValue %s: no template of this import exports it, and no --import-value "
                            "%s=VALUE gives it%s" % (name, name, " (known exports: %s)" % known if known else ""))

    def _exported_value(self, name: str, asking: "Template") -> Any:
        template, output_id = self._exported[name]
        if template is asking:
            raise TemplateError("Fn::ImportValue %s: exported by this template's own Outputs.%s; a stack cannot "
                                "import its own exports (Ref or Fn::GetAtt the resource instead)" % (name, output_id))
        if name in self._resolving:
            raise TemplateError("Fn::ImportValue %s: the exports import each other in a cycle" % name)
        output = template.document["Outputs"][output_id]
        # The exporting template's own record of what it refers to belongs to whatever it was
        # resolving when asked (nothing, or one of its resources): kept aside, and put back.
        saved = template.references, template.imported_references
        template.references, template.imported_references = set(), set()
        self._resolving.add(name)
        try:
            if "Value" not in output:
                raise TemplateError("no Value")
            value = template.resolve(output["Value"])
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (int, float)):
                value = str(value)
            if not isinstance(value, str):
                raise TemplateError("an export's Value must be text (Fn::Join a list), got %r" % (value,))
            reached = {(template.source, logical_id) for logical_id in template.references}
            reached |= template.imported_references
        except TemplateError as error:
            raise TemplateError("Fn::ImportValue %s: %s: Outputs.%s: %s" % (name, template.source, output_id, error)) from None
        finally:
            template.references, template.imported_references = saved
            self._resolving.discard(name)
        asking.imported_references |= reached
        return value
