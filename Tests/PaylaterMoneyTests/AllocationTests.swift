import PaylaterMoney
import Testing

@Suite("Allocation")
struct AllocationTests {
    @Test(
        "equal parts differ by at most one unit and the extra units go where placement says",
        arguments: [
            (100, 3, .first, [34, 33, 33]), (100, 3, .last, [33, 33, 34]), (-100, 3, .first, [-34, -33, -33]),
            (-100, 3, .last, [-33, -33, -34]), (101, 4, .first, [26, 25, 25, 25]), (102, 4, .last, [25, 25, 26, 26]),
            (0, 3, .first, [0, 0, 0]), (1, 3, .first, [1, 0, 0]), (1, 3, .last, [0, 0, 1]), (5, 1, .first, [5]),
            (2, 5, .first, [1, 1, 0, 0, 0]),
        ] as [(Int64, Int, RemainderPlacement, [Int64])])
    func equalParts(amount: Int64, parts: Int, placement: RemainderPlacement, expected: [Int64]) throws {
        let result = try Money.units(amount).allocate(into: parts, remainder: placement)
        #expect(result == expected.map { Money.units($0) })
    }

    @Test("earlier parts get the extra units by default")
    func firstIsDefault() throws {
        #expect(try Money.units(100).allocate(into: 3) == [34, 33, 33].map { Money.units($0) })
        #expect(try Money.units(100).allocate(byWeights: [1, 1, 1]) == [34, 33, 33].map { Money.units($0) })
    }

    @Test(
        "weighted parts follow the weights and the largest remainders",
        arguments: [
            (100, [1, 2, 3], .first, [17, 33, 50]),  // remainders 4/6, 2/6, 0
            (100, [1, 2, 3], .last, [17, 33, 50]),  // the largest remainder wins over position
            (5, [1, 3], .first, [1, 4]),  // 1.25 and 3.75: the larger remainder is later
            (101, [50, 50, 0], .first, [51, 50, 0]), (101, [50, 50, 0], .last, [50, 51, 0]),
            (7, [0, 1], .first, [0, 7]), (10, [3, 7], .first, [3, 7]),
            (-5, [1, 3], .first, [-1, -4]), (1_000, [1, 1, 1, 7], .last, [100, 100, 100, 700]),
        ] as [(Int64, [Int64], RemainderPlacement, [Int64])])
    func weightedParts(amount: Int64, weights: [Int64], placement: RemainderPlacement, expected: [Int64]) throws {
        let result = try Money.units(amount).allocate(byWeights: weights, remainder: placement)
        #expect(result == expected.map { Money.units($0) })
    }

    @Test("parts keep the whole's currency")
    func keepsCurrency() throws {
        let parts = try Money.units(1_000, .JPY).allocate(into: 3)
        #expect(parts == [334, 333, 333].map { Money.units($0, .JPY) })
    }

    @Test("the 64-bit extremes split without overflow")
    func extremes() throws {
        #expect(try Money.units(.min).allocate(into: 2) == [Money.units(.min / 2), Money.units(.min / 2)])
        #expect(try Money.units(.min).allocate(byWeights: [1]) == [Money.units(.min)])
        #expect(try Money.units(.min).allocate(byWeights: [0, Int64.max]) == [Money.units(0), Money.units(.min)])
        #expect(
            try Money.units(.min).allocate(into: 3)
                == [-3_074_457_345_618_258_603, -3_074_457_345_618_258_603, -3_074_457_345_618_258_602].map {
                    Money.units($0)
                })
        #expect(try Money.units(.max).allocate(into: 2) == [Money.units(.max / 2 + 1), Money.units(.max / 2)])
        let huge = try Money.units(.max).allocate(byWeights: [Int64.max, Int64.max, 1])
        #expect(try Money.sum(of: huge, currency: .USD) == Money.units(.max))
    }

    @Test("the largest allowed number of parts works")
    func maximumParts() throws {
        let parts = try Money.units(1).allocate(into: Money.maximumAllocationParts)
        #expect(parts.count == 10_000)
        #expect(parts.first == Money.units(1))
        let restAreZero = parts.dropFirst().allSatisfy { $0.isZero }
        #expect(restAreZero)
    }

    @Test("a part count outside 1 to 10,000 is rejected", arguments: [0, -1, Int.min, 10_001, Int.max])
    func rejectsPartCount(parts: Int) {
        let error = #expect(throws: MoneyError.self) { try Money.units(100).allocate(into: parts) }
        #expect(error?.isInvalidWeights == true)
    }

    @Test(
        "weights that are empty, negative or all zero are rejected",
        arguments: [[], [1, -1], [-1], [0], [0, 0, 0], [Int64.min, Int64.max]] as [[Int64]])
    func rejectsWeights(weights: [Int64]) {
        let error = #expect(throws: MoneyError.self) { try Money.units(100).allocate(byWeights: weights) }
        #expect(error?.isInvalidWeights == true)
    }

    @Test("more than 10,000 weights are rejected")
    func rejectsTooManyWeights() {
        let weights = [Int64](repeating: 1, count: Money.maximumAllocationParts + 1)
        let error = #expect(throws: MoneyError.self) { try Money.units(100).allocate(byWeights: weights) }
        #expect(error?.isInvalidWeights == true)
    }
}
