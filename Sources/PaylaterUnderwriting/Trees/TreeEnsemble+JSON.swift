public import Foundation

/// The JSON artifact: a self-describing document that a service loads without LightGBM or the original text file.
///
/// `{"format": "paylater-gbdt", "format_version": 1, "name", "version", "source", "objective": "binary", "sigmoid",
/// "feature_names", "trees": [{"split_feature", "threshold", "decision_type", "left_child", "right_child",
/// "leaf_value", "internal_value", "cat_boundaries", "cat_threshold"}]}`, keys sorted so the same model always
/// gives the same bytes. Doubles are written in their shortest round-trip form, so thresholds and leaf values come
/// back bit-identical and the decoded model scores exactly like the imported one. JSON has no infinity, so the
/// infinite thresholds LightGBM sometimes writes appear as the strings `"inf"` and `"-inf"`.
extension TreeEnsemble: Codable {
    /// The `format` every artifact carries, so a file of another kind is refused rather than misread.
    public static let artifactFormat = "paylater-gbdt"
    /// Raised when the document's meaning changes; readers refuse versions they do not know.
    public static let artifactFormatVersion = 1

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case name, version, source, objective, sigmoid
        case featureNames = "feature_names"
        case trees
    }

    /// Reads an artifact, checking the format, the objective and every tree.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let format = try container.decode(String.self, forKey: .format)
        let formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        guard format == Self.artifactFormat, formatVersion == Self.artifactFormatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: container,
                debugDescription: "expected \(Self.artifactFormat) version \(Self.artifactFormatVersion), found \(format) version \(formatVersion)")
        }
        let objective = try container.decode(String.self, forKey: .objective)
        guard objective == "binary" else {
            throw DecodingError.dataCorruptedError(
                forKey: .objective, in: container, debugDescription: "only binary models are supported, found \(objective)")
        }
        do {
            try self.init(
                identity: ModelIdentity(
                    name: try container.decode(String.self, forKey: .name),
                    version: try container.decode(String.self, forKey: .version)),
                featureNames: try container.decode([String].self, forKey: .featureNames),
                sigmoid: try container.decode(Double.self, forKey: .sigmoid),
                source: try container.decode(String.self, forKey: .source),
                trees: try container.decode([DecisionTree].self, forKey: .trees))
        } catch let error as TreeEnsembleError {
            throw DecodingError.dataCorruptedError(forKey: .trees, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.artifactFormat, forKey: .format)
        try container.encode(Self.artifactFormatVersion, forKey: .formatVersion)
        try container.encode(identity.name, forKey: .name)
        try container.encode(identity.version, forKey: .version)
        try container.encode(source, forKey: .source)
        try container.encode("binary", forKey: .objective)
        try container.encode(sigmoid, forKey: .sigmoid)
        try container.encode(featureNames, forKey: .featureNames)
        try container.encode(trees, forKey: .trees)
    }

    /// The artifact as JSON bytes with sorted keys.
    public func jsonArtifact() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = Self.infinities
        do {
            return try encoder.encode(self)
        } catch {
            // Only NaN could fail to encode, and `DecisionTree.problem` refuses it at construction.
            preconditionFailure("a validated ensemble always encodes: \(error)")
        }
    }

    /// Reads an artifact written by `jsonArtifact()`.
    /// - Throws: `TreeEnsembleError` describing the first problem (bad JSON, unknown format, malformed tree).
    public init(jsonArtifact data: Data) throws(TreeEnsembleError) {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = Self.infiniteThresholds
            self = try decoder.decode(TreeEnsemble.self, from: data)
        } catch let error as DecodingError {
            throw .invalid(Self.explain(error))
        } catch {
            throw .invalid("\(error)")
        }
    }

    /// How infinite thresholds are spelled; NaN never reaches the encoder (`DecisionTree.problem` refuses it).
    private static let infinities = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    private static let infiniteThresholds = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
