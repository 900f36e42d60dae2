/// An error the engine reports to its caller, in the AWS error vocabulary.
///
/// The core raises these; the API layer turns them into error documents
/// (`{"__type": ..., "message": ...}`) and the C ABI into status codes.
public struct ServiceError: Error, Equatable, Sendable {
    /// The AWS exception, named as in the service models. Raw values are the ABI status codes.
    public enum Kind: Int32, Sendable {
        case invalidRequest = 1
        case resourceNotFound = 2
        case resourceAlreadyExists = 3
        case resourceInUse = 4
        case limitExceeded = 5
        case throttling = 6
        case internalFailure = 7
        case serviceUnavailable = 8
        case unsupportedOperation = 9

        /// The `__type` of the error document.
        public var typeName: String {
            switch self {
            case .invalidRequest: return "InvalidRequestException"
            case .resourceNotFound: return "ResourceNotFoundException"
            case .resourceAlreadyExists: return "ResourceAlreadyExistsException"
            case .resourceInUse: return "ResourceInUseException"
            case .limitExceeded: return "LimitExceededException"
            case .throttling: return "ThrottlingException"
            case .internalFailure: return "InternalFailureException"
            case .serviceUnavailable: return "ServiceUnavailableException"
            case .unsupportedOperation: return "UnsupportedOperationException"
            }
        }
    }

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
