public import Foundation

/// Everything a decision was taken from: the application, the context, and which policy and models.
///
/// Stored with each decision as deterministic JSON (sorted keys), so the same decision always stores the same
/// bytes and `DecisionEngine.replay` gives back the same answer. Identifiers in it are the caller's hashes.
public struct DecisionSnapshot: Sendable, Hashable, Codable {
    public var application: CreditApplication
    public var context: ApplicantContext
    public var policyId: String
    public var policyVersion: Int64
    public var champion: ModelIdentity
    public var challenger: ModelIdentity?

    public init(
        application: CreditApplication, context: ApplicantContext, policyId: String, policyVersion: Int64,
        champion: ModelIdentity, challenger: ModelIdentity?
    ) {
        self.application = application
        self.context = context
        self.policyId = policyId
        self.policyVersion = policyVersion
        self.champion = champion
        self.challenger = challenger
    }

    /// The snapshot as JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads a snapshot stored by `jsonData()`.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(Self.self, from: json)
    }
}
