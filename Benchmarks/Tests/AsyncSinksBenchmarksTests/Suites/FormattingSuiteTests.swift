import Testing

@testable import asyncsinks_benchmarks

/// Metric 9 compares our formatters with a C formatter; the comparison holds only while both write
/// the same bytes.
@Suite struct FormattingSuiteTests {
    @Test(arguments: [false, true])
    func theCReferenceWritesOurBytes(json: Bool) {
        let lines = FormattingSuite.referenceLines(json: json, reference: FormattingSuite.ReferenceRecord())
        #expect(lines.count == FormattingSuite.comparedIndices.count)
        for line in lines {
            #expect(line.c == line.swift)
        }
        // The compared records span two seconds, so both formatters' cached seconds are exercised.
        #expect(lines.first?.swift.contains("2026-11-24T09:00:00.000000Z") == true)
        #expect(lines.last?.swift.contains("2026-11-24T09:00:01.000000Z") == true)
    }
}
