import Foundation
import PaylaterUnderwriting
import Testing

@Suite("Importing LightGBM text refuses what it cannot score, naming the line")
struct LightGBMImportErrorTests {
    func importing(_ text: String) throws(LightGBMImportError) -> TreeEnsemble {
        try TreeEnsemble(lightGBMText: text, name: "m", version: "1")
    }

    @Test("a file cut off before 'end of trees' is truncated at its last line")
    func truncated() throws {
        let lines = try LightGBMFixtures.text("model.txt").split(separator: "\n", omittingEmptySubsequences: false)
        let cut = lines.prefix(40).joined(separator: "\n")
        #expect(throws: LightGBMImportError.truncated(line: 40)) { try importing(cut) }
        #expect(throws: LightGBMImportError.truncated(line: 40)) { try importing(cut + "\n") }
    }

    @Test("a file that does not start with 'tree' is not a model")
    func wrongHeader() {
        let text = "json\n" + handWrittenModel().split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .joined(separator: "\n")
        #expect(throws: LightGBMImportError.notATreeModel(line: 1)) { try importing(text) }
    }

    @Test("multiclass models are refused at their num_class line")
    func multiclass() {
        let text = handWrittenModel(header: ["num_class": "3"])
        #expect(throws: LightGBMImportError.multiclass(numClass: 3, line: 3)) { try importing(text) }
    }

    @Test("objectives other than binary are refused at the objective line")
    func regression() {
        let text = handWrittenModel(header: ["objective": "regression"])
        #expect(throws: LightGBMImportError.unsupportedObjective("regression", line: 7)) { try importing(text) }
    }

    @Test("an unknown version is refused at the version line")
    func version() {
        let text = handWrittenModel(header: ["version": "v9"])
        #expect(throws: LightGBMImportError.unsupportedVersion("v9", line: 2)) { try importing(text) }
    }

    @Test("linear trees are refused at their is_linear line")
    func linearTree() throws {
        let text = handWrittenModel(treeOverrides: ["is_linear": "1"])
        let line = try #require(lineNumber(of: "is_linear=1", in: text))
        #expect(throws: LightGBMImportError.unsupportedFeature("linear trees (is_linear=1)", line: line)) {
            try importing(text)
        }
    }

    @Test("a list with too few entries names its key, the counts and its line")
    func wrongCount() throws {
        let text = handWrittenModel(treeOverrides: ["leaf_value": "0.1 0.2"])
        let line = try #require(lineNumber(of: "leaf_value=0.1 0.2", in: text))
        #expect(throws: LightGBMImportError.wrongCount(key: "leaf_value", expected: 3, found: 2, line: line)) {
            try importing(text)
        }
    }

    @Test("a number that does not parse names the word and its line")
    func malformedNumber() throws {
        let text = handWrittenModel(threshold: "2.5x")
        let line = try #require(lineNumber(of: "threshold=2.5x", in: text))
        #expect(throws: LightGBMImportError.malformedValue(key: "threshold", value: "2.5x", line: line)) {
            try importing(text)
        }
    }

    @Test(
        "a tree whose children do not form a tree is refused at its Tree= line",
        arguments: [
            ["left_child": "1 -2"],  // the root points back at node 1 twice
            ["right_child": "1 -4"],  // leaf 3 does not exist
            ["split_feature": "0 7"],  // the model has two features
            ["threshold": "2.5 1"],  // bitset 1 does not exist
            ["decision_type": "10 13"],  // missing type 3 is not a LightGBM decision
        ])
    func invalidTree(overrides: [String: String]) throws {
        let text = handWrittenModel(treeOverrides: overrides)
        let line = try #require(lineNumber(of: "Tree=1", in: text))
        let error = #expect(throws: LightGBMImportError.self) { try importing(text) }
        guard case .invalidTree(let index, _, let errorLine) = error else {
            Issue.record("expected invalidTree, got \(String(describing: error))")
            return
        }
        #expect(index == 1)
        #expect(errorLine == line)
    }

    @Test("a missing key is reported at the start of its section")
    func missingKey() throws {
        let text = handWrittenModel().replacingOccurrences(of: "internal_value=0.2 0.25\n", with: "")
        let line = try #require(lineNumber(of: "Tree=1", in: text))
        #expect(throws: LightGBMImportError.missingKey("internal_value", line: line)) { try importing(text) }
    }
}
