import Foundation
import PaylaterApp
@testable import PaylaterAPI
import PaylaterHTTP
import PaylaterTime
import Testing

/// A problem's `field` is a JSON pointer into the body or a header name (docs/API.md), naming the input at fault.
@Suite("Problem fields name the input at fault")
struct ProblemFieldTests {
    @Test("several statements due the same day: the problem points at /product_id, the body field that chooses")
    func ambiguousStatement() throws {
        let error = StatementServiceError.ambiguousStatement(
            dueDate: try LocalDate(iso8601: "2027-01-10"), statements: ["monthly-bill CNY", "monthly-bill-2 CNY"])
        let problem = try #require(ProblemMapping.problem(for: error))
        #expect(problem.status == 409 && problem.type == HTTPProblem.typePrefix + "ambiguous-statement")
        #expect(problem.field == "/product_id")
        #expect(problem.detail == error.description)
    }
}
