"""Errors as boto3 raises them: `e.response["Error"]["Code"]` and `["Message"]`. When botocore is
installed they subclass botocore.exceptions.ClientError, so existing `except ClientError` code
keeps working; otherwise an equivalent base class with the same shape."""
from ._operations import STATUS_CODES

try:
    from botocore.exceptions import ClientError as _Base
except ImportError:  # pragma: no cover - exercised when botocore is absent
    class _Base(Exception):
        def __init__(self, error_response, operation_name):
            self.response = error_response
            self.operation_name = operation_name
            error = error_response.get("Error", {})
            super().__init__("An error occurred (%s) when calling the %s operation: %s"
                             % (error.get("Code"), operation_name, error.get("Message")))

ClientError = _Base

#: The error codes the library answers with, status 1 first (include/iotevents.h, iotevents_status;
#: generated from tools/codegen-extras.json).
CODES = list(STATUS_CODES)

#: One subclass per code, as client.exceptions.<Name>.
CLASSES = {code: type(code, (ClientError,), {}) for code in CODES}


class Exceptions:
    """The `client.exceptions` namespace."""

    ClientError = ClientError

    def __init__(self):
        for code, cls in CLASSES.items():
            setattr(self, code, cls)


def from_document(document, operation, metadata=None):
    """The exception for an error document {"__type": ..., "message": ...}, with the response
    boto3 builds for it: Error {Code, Message}, the document's other members beside it, and
    ResponseMetadata with the HTTP status the service sends for that code."""
    from ._operations import ERROR_STATUS
    code = document.get("__type", "InternalFailureException")
    response = {"Error": {"Code": code, "Message": document.get("message", "")}}
    response.update({k: v for k, v in document.items() if k != "__type"})
    response["ResponseMetadata"] = dict(metadata or {}, HTTPStatusCode=ERROR_STATUS.get(code, 400))
    cls = CLASSES.get(code, ClientError)
    return cls(response, operation)


try:
    from botocore.exceptions import OperationNotPageableError
except ImportError:  # pragma: no cover
    class OperationNotPageableError(Exception):
        def __init__(self, operation_name=""):
            super().__init__("Operation cannot be paginated: %s" % operation_name)
