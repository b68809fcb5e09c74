public import Foundation

/// Reads a model file written by Paylater, whichever kind it is, by its `format` field.
public enum ModelArtifact {
    /// The model in `json`: a scorecard (`paylater-scorecard`) or imported trees (`paylater-gbdt`).
    /// - Throws: `ModelArtifactError` naming what is wrong with the file.
    public static func load(json: Data) throws(ModelArtifactError) -> any CreditModel {
        let format: String
        do {
            guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                throw ModelArtifactError.notAModel("the file is not a JSON object")
            }
            guard let text = object["format"] as? String else { throw ModelArtifactError.notAModel("no \"format\" field") }
            format = text
        } catch let error as ModelArtifactError {
            throw error
        } catch {
            throw .notAModel("not valid JSON: \(error.localizedDescription)")
        }
        switch format {
        case "paylater-scorecard":
            do { return try Scorecard(json: json) } catch { throw .invalid(format: format, "\(error)") }
        case TreeEnsemble.artifactFormat:
            do { return try TreeEnsemble(jsonArtifact: json) } catch { throw .invalid(format: format, "\(error)") }
        default:
            throw .unknownFormat(format)
        }
    }
}

/// Why a model file could not be read.
public enum ModelArtifactError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAModel(String)
    case unknownFormat(String)
    case invalid(format: String, String)

    public var description: String {
        switch self {
        case let .notAModel(problem): "not a Paylater model file: \(problem)"
        case let .unknownFormat(format):
            "unknown model format \"\(format)\" (expected paylater-scorecard or \(TreeEnsemble.artifactFormat))"
        case let .invalid(format, problem): "invalid \(format) model: \(problem)"
        }
    }
}
