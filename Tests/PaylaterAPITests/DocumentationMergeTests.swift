import Foundation
import Testing

/// The documents clients and operators read are prose, not a merge left half done.
@Suite("Documentation is merged")
struct DocumentationMergeTests {
    @Test("README.md and docs/*.md carry no merge-conflict markers")
    func noConflictMarkers() throws {
        let docs = APITestServer.repository.appendingPathComponent("docs")
        let files = [APITestServer.repository.appendingPathComponent("README.md")]
            + (try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil))
            .filter { $0.pathExtension == "md" }
        #expect(files.count > 1)
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated()
            where line.hasPrefix("<<<<<<< ") || line.hasPrefix(">>>>>>> ") || line == "=======" {
                Issue.record("\(file.lastPathComponent):\(number + 1) has a merge-conflict marker: \(line)")
            }
        }
    }
}
