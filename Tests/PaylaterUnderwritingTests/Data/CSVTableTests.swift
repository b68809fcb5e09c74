import PaylaterUnderwriting
import Testing

@Suite("Reading CSV files")
struct CSVTableTests {
    @Test("quoted fields keep commas, doubled quotes and line breaks; empty cells are missing values")
    func quotedFields() throws {
        let table = try CSVTable(parsing: "id,name,income\r\n1,\"Lee, Ann\",5000\n2,\"say \"\"hi\"\"\",\n3,\"two\nlines\",12.5\n")
        #expect(table.header == ["id", "name", "income"])
        #expect(table.rows == [["1", "Lee, Ann", "5000"], ["2", "say \"hi\"", ""], ["3", "two\nlines", "12.5"]])
        #expect(table.lineNumbers == [2, 3, 4])
        let features = table.featureRows(excluding: ["id"])
        #expect(features[1]["income"] == .missing)
        #expect(features[2]["income"] == .number(12.5))
        #expect(features[0]["name"] == .category("Lee, Ann"))
        #expect(features[0]["id"] == .missing)
    }

    @Test("a missing final line break, a byte-order mark and a trailing blank line are accepted")
    func tolerantEnds() throws {
        let table = try CSVTable(parsing: "\u{FEFF}a,b\n1,2\n\n")
        #expect(table.header == ["a", "b"])
        #expect(table.rows == [["1", "2"]])
        #expect(try CSVTable(parsing: "a\nx").rows == [["x"]])
    }

    @Test(
        "a malformed file names the line of the problem",
        arguments: [
            ("a,b\n1,2\n3\n", CSVError.wrongWidth(line: 3, expected: 2, found: 1)),
            ("a,b\n1,\"open\n2,3\n", .unterminatedQuote(line: 2)),
            ("a,b\n1,\"x\"y\n", .textAfterClosingQuote(line: 2)),
            ("a,b\n1,x\"y\n", .quoteInsideUnquotedField(line: 2)),
            ("a,a\n1,2\n", .duplicateColumn(name: "a", line: 1)),
            ("a,\n1,2\n", .emptyColumnName(line: 1)),
            ("", .empty),
            ("a,b\n\"multi\nline\",1\n1,2,3\n", .wrongWidth(line: 4, expected: 2, found: 3)),
        ])
    func malformed(text: String, expected: CSVError) {
        #expect(throws: expected) { try CSVTable(parsing: text) }
    }

    @Test("cells read as numbers only when they are finite decimals")
    func cellKinds() {
        #expect(FeatureValue(cell: "-3.25") == .number(-3.25))
        #expect(FeatureValue(cell: "1e-3") == .number(0.001))
        #expect(FeatureValue(cell: "NaN") == .category("NaN"))
        #expect(FeatureValue(cell: "inf") == .category("inf"))
        #expect(FeatureValue(cell: "+4") == .category("+4"))
        #expect(FeatureValue(cell: "") == .missing)
        #expect(FeatureValue.number(3).categoryLabel == "3")
        #expect(FeatureValue(cell: "3").categoryLabel == FeatureValue.category("3").categoryLabel)
    }

    @Test("rendering quotes what needs quoting and reads back to the same rows")
    func roundTrip() throws {
        let rows = [["1", "a,b"], ["2", "q\"uote"], ["3", "line\nbreak"]]
        let text = CSVTable.render(header: ["id", "text"], rows: rows)
        #expect(try CSVTable(parsing: text).rows == rows)
    }
}
