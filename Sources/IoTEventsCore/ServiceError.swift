/// An error the engine reports to its caller, in the AWS error vocabulary.
///
/// The core raises these; the API layer turns them into error documents
/// (`{"__type": ..., "message": ...}`) and the C ABI into status codes.
public struct ServiceError: Error, Equatable, Sendable {
    // `Kind` (the AWS exception; raw values are the ABI status codes) is generated from
    // tools/codegen-extras.json: ServiceErrorKind.generated.swift.

    public var kind: Kind
    public var message: String
    /// `ResourceAlreadyExistsException` carries the clashing resource's id and ARN.
    public var resourceId: String?
    public var resourceArn: String?

    public init(_ kind: Kind, _ message: String, resourceId: String? = nil, resourceArn: String? = nil) {
        self.kind = kind
        self.message = message
        self.resourceId = resourceId
        self.resourceArn = resourceArn
    }

    public static func invalidRequest(_ message: String) -> ServiceError { ServiceError(.invalidRequest, message) }
    public static func notFound(_ message: String) -> ServiceError { ServiceError(.resourceNotFound, message) }
    public static func inUse(_ message: String) -> ServiceError { ServiceError(.resourceInUse, message) }
    public static func limitExceeded(_ message: String) -> ServiceError { ServiceError(.limitExceeded, message) }
}
