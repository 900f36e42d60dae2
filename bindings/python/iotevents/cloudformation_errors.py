"""The error of resolving a template, in a module of its own so that every part of the resolver
(cloudformation, cloudformation_computed, cloudformation_exports) can raise it."""


class TemplateError(ValueError):
    """A template, or one of its resources, that cannot be resolved."""
