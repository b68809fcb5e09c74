/// Why a LightGBM text model could not be imported. Every case names the 1-based line to open the file at.
public enum LightGBMImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first line is not `tree`: this is not a LightGBM text model (or it is a JSON dump).
    case notATreeModel(line: Int)
    /// A `version=` this importer was not written against (v2, v3 and v4 share the tree layout).
    case unsupportedVersion(String, line: Int)
    /// `num_class` or `num_tree_per_iteration` above 1: multiclass models give one score per class.
    case multiclass(numClass: Int, line: Int)
    /// An objective other than `binary`: only binary models give a probability of bad.
    case unsupportedObjective(String, line: Int)
    /// A model feature this importer does not evaluate, such as linear trees or averaged (random forest) output.
    case unsupportedFeature(String, line: Int)
    /// A key the model cannot do without is absent; `line` is where its section starts.
    case missingKey(String, line: Int)
    /// A value that does not parse as the key requires.
    case malformedValue(key: String, value: String, line: Int)
    /// A list with the wrong number of entries.
    case wrongCount(key: String, expected: Int, found: Int, line: Int)
    /// A tree whose arrays do not describe a well-formed tree; `line` is its `Tree=` line.
    case invalidTree(index: Int, problem: String, line: Int)
    /// The trees disagree with each other (a feature split on both as a number and as a category).
    case inconsistentModel(String, line: Int)
    /// The text ends before `end of trees`; `line` is the last line there is.
    case truncated(line: Int)

    public var description: String {
        switch self {
        case .notATreeModel(let line): "line \(line): expected \"tree\", the first line of a LightGBM text model"
        case .unsupportedVersion(let version, let line): "line \(line): model version \(version) is not supported"
        case .multiclass(let numClass, let line): "line \(line): multiclass models (\(numClass) classes) are not supported"
        case .unsupportedObjective(let objective, let line):
            "line \(line): objective \"\(objective)\" is not supported; only binary models give a probability"
        case .unsupportedFeature(let feature, let line): "line \(line): \(feature) is not supported"
        case .missingKey(let key, let line): "line \(line): the section starting here has no \"\(key)=\""
        case .malformedValue(let key, let value, let line): "line \(line): \(key)=\"\(value)\" does not parse"
        case .wrongCount(let key, let expected, let found, let line):
            "line \(line): \(key) has \(found) entries, expected \(expected)"
        case .invalidTree(let index, let problem, let line): "line \(line): tree \(index) is malformed: \(problem)"
        case .inconsistentModel(let problem, let line): "line \(line): \(problem)"
        case .truncated(let line): "line \(line): the file ends before \"end of trees\""
        }
    }
}
