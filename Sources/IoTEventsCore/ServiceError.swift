/// An error the engine reports to its caller, in the AWS error vocabulary.
///
/// The core raises these; the API layer turns them into error documents
/// (`{"__type": ..., "message": ...}`) and the C ABI into status codes.
package struct ServiceError: Error, Equatable, Sendable {
    // `Kind` (the AWS exception; raw values are the ABI status codes) is generated from
    // tools/codegen-extras.json: ServiceErrorKind.generated.swift.

    package var kind: Kind
    package var message: String
    /// `ResourceAlreadyExistsException` carries the clashing resource's id and ARN.
    package var resourceId: String?
    package var resourceArn: String?

    package init(_ kind: Kind, _ message: String, resourceId: String? = nil, resourceArn: String? = nil) {
        self.kind = kind
        self.message = message
        self.resourceId = resourceId
        self.resourceArn = resourceArn
    }

    package static func invalidRequest(_ message: String) -> ServiceError { ServiceError(.invalidRequest, message) }
    package static func notFound(_ message: String) -> ServiceError { ServiceError(.resourceNotFound, message) }
    package static func inUse(_ message: String) -> ServiceError { ServiceError(.resourceInUse, message) }
    package static func limitExceeded(_ message: String) -> ServiceError { ServiceError(.limitExceeded, message) }
}
