/// An input: a named message schema (docs/behaviour.md §1.1).
package struct Input: Equatable, Sendable {
    /// Inputs are usable the moment they are created, so they are always `ACTIVE` here.
    package enum Status: String, Sendable {
        case creating = "CREATING"
        case updating = "UPDATING"
        case active = "ACTIVE"
        case deleting = "DELETING"
    }

    package let name: String
    package var description: String?
    package var attributes: [AttributePath]
    package let arn: String
    package let creationTime: Millis
    package var lastUpdateTime: Millis
    package var status: Status
    package var tags: TagSet
}

/// What `CreateInput` and `UpdateInput` ask for, once validated against the service model.
package struct InputDefinition: Equatable, Sendable {
    package var name: String
    package var description: String?
    package var attributes: [AttributePath]

    package init(name: String, description: String?, attributes: [AttributePath]) {
        self.name = name
        self.description = description
        self.attributes = attributes
    }
}
