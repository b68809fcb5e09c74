import Foundation
import PaylaterUnderwriting
import Testing

@Suite("The JSON tree artifact")
struct TreeArtifactTests {
    @Test("a JSON round trip keeps every threshold (infinite ones too) and leaf value bit for bit, and every score")
    func roundTripIsBitExact() throws {
        let imported = try LightGBMFixtures.model("model.txt")
        let data = imported.jsonArtifact()
        #expect(imported.trees.contains { $0.threshold.contains(.infinity) })
        #expect(String(decoding: data, as: UTF8.self).contains(#","inf","#))
        let decoded = try TreeEnsemble(jsonArtifact: data)
        #expect(decoded == imported)
        for (original, copy) in zip(imported.trees, decoded.trees) {
            #expect(original.threshold.map(\.bitPattern) == copy.threshold.map(\.bitPattern))
            #expect(original.leafValue.map(\.bitPattern) == copy.leafValue.map(\.bitPattern))
            #expect(original.internalValue.map(\.bitPattern) == copy.internalValue.map(\.bitPattern))
        }
        for row in try LightGBMFixtures.inputs() {
            let before = try imported.score(row)
            let after = try decoded.score(row)
            #expect(before.logOdds.bitPattern == after.logOdds.bitPattern)
            #expect(before == after)
        }
    }

    @Test("the artifact is self-describing, with sorted keys, and the same model always gives the same bytes")
    func documentShape() throws {
        let model = try TreeEnsemble(lightGBMText: handWrittenModel(), name: "thin-file", version: "2026.11")
        let data = model.jsonArtifact()
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.hasPrefix(#"{"feature_names":["x","c"],"format":"paylater-gbdt","format_version":1,"name":"thin-file","#))
        #expect(text.contains(#""objective":"binary","sigmoid":1,"source":"lightgbm","trees":[{"#))
        #expect(text.contains(#""cat_boundaries":[0,2],"cat_threshold":[5,1],"decision_type":[10,9],"#))
        #expect(try TreeEnsemble(jsonArtifact: data).jsonArtifact() == data)
    }

    @Test(
        "documents of another format, another version or with a malformed tree are refused",
        arguments: [
            (#""format":"paylater-gbdt""#, #""format":"scorecard""#),
            (#""format_version":1"#, #""format_version":2"#),
            (#""objective":"binary""#, #""objective":"regression""#),
            (#""left_child":[-1,-2]"#, #""left_child":[-1,0]"#),
            (#""leaf_value":[0.1,0.2,0.3]"#, #""leaf_value":[0.1,0.2]"#),
        ])
    func refused(original: String, replacement: String) throws {
        let model = try TreeEnsemble(lightGBMText: handWrittenModel(), name: "m", version: "1")
        let text = try #require(String(data: model.jsonArtifact(), encoding: .utf8))
        #expect(text.contains(original))
        let broken = Data(text.replacingOccurrences(of: original, with: replacement).utf8)
        #expect(throws: TreeEnsembleError.self) { try TreeEnsemble(jsonArtifact: broken) }
    }
}
