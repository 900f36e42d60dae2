/// An input: a named message schema (docs/behaviour.md §1.1).
public struct Input: Equatable, Sendable {
    /// Inputs are usable the moment they are created, so they are always `ACTIVE` here.
    public enum Status: String, Sendable {
        case creating = "CREATING"
        case updating = "UPDATING"
        case active = "ACTIVE"
        case deleting = "DELETING"
    }

    public let name: String
    public var description: String?
    public var attributes: [AttributePath]
    public let arn: String
    public let creationTime: Millis
    public var lastUpdateTime: Millis
    public var status: Status
    public var tags: TagSet
}

/// What `CreateInput` and `UpdateInput` ask for, once validated against the service model.
public struct InputDefinition: Equatable, Sendable {
    public var name: String
    public var description: String?
    public var attributes: [AttributePath]

    public init(name: String, description: String?, attributes: [AttributePath]) {
        self.name = name
        self.description = description
        self.attributes = attributes
    }
}
