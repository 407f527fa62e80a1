import Testing

@testable import asyncsinks_benchmarks

@Suite struct BenchmarkArgumentsTests {
    @Test func noArgumentsRunEverySuiteWithDefaults() throws {
        let arguments = try BenchmarkArguments(parsing: [])
        #expect(arguments.action == .run)
        #expect(arguments.options == RunOptions())
        #expect(arguments.options.runs == 5)
        #expect(arguments.output == nil)
        let selected = try arguments.selected(from: BenchmarkMain.suites)
        #expect(selected.map(\.name) == BenchmarkMain.suites.filter { !$0.manual }.map(\.name))
    }

    @Test func everyMetricHasASuiteInTheDefaultRun() throws {
        let selected = try BenchmarkArguments(parsing: []).selected(from: BenchmarkMain.suites)
        // Each suite's summary starts with the numbers of the metrics it measures ("7: ...").
        let numbers = Set(selected.flatMap { suite in
            suite.summary.prefix { $0 != ":" }.split(separator: "/").compactMap { Int($0) }
        })
        #expect(numbers == Set(1...13))
    }

    @Test func parsesEveryOption() throws {
        let arguments = try BenchmarkArguments(parsing: [
            "--quick", "--filter", "caller", "--runs", "7", "--output", "/tmp/out.json", "--filter", "gzip",
            "--trace-allocations", "3",
        ])
        #expect(arguments.action == .run)
        #expect(arguments.options.quick)
        #expect(arguments.options.runs == 7)
        #expect(arguments.options.traceAllocations == 3)
        #expect(arguments.filters == ["caller", "gzip"])
        #expect(arguments.output == "/tmp/out.json")
    }

    @Test func listAndHelpAreActions() throws {
        #expect(try BenchmarkArguments(parsing: ["--list"]).action == .list)
        #expect(try BenchmarkArguments(parsing: ["--help"]).action == .help)
        #expect(try BenchmarkArguments(parsing: ["-h"]).action == .help)
    }

    @Test(arguments: [
        (["--bogus"], "unknown argument --bogus (see --help)"),
        (["--filter"], "--filter needs a value (see --help)"),
        (["--output"], "--output needs a value (see --help)"),
        (["--runs"], "--runs needs a value (see --help)"),
        (["--runs", "0"], "--runs needs a whole number of at least 1, not 0"),
        (["--runs", "five"], "--runs needs a whole number of at least 1, not five"),
        (["--trace-allocations", "-1"], "--trace-allocations needs a whole number of at least 0, not -1"),
    ])
    func rejectsWhatItCannotActOn(arguments: [String], message: String) {
        #expect(throws: BenchmarkArguments.Error(description: message)) {
            try BenchmarkArguments(parsing: arguments)
        }
    }

    @Test func aFilterSelectsTheSuitesWhoseNameContainsIt() throws {
        let selected = try BenchmarkArguments(parsing: ["--filter", "caller", "--filter", "file"]).selected(from: BenchmarkMain.suites)
        // Not `profile-caller`: a manual suite runs only when named exactly.
        #expect(selected.map(\.name) == ["caller", "filebytes"])
    }

    @Test func aManualSuiteRunsWhenNamedExactly() throws {
        let selected = try BenchmarkArguments(parsing: ["--filter", "profile-throughput"]).selected(from: BenchmarkMain.suites)
        #expect(selected.map(\.name) == ["profile-throughput"])
    }

    @Test func aFilterThatSelectsNothingIsAnError() throws {
        let arguments = try BenchmarkArguments(parsing: ["--filter", "caller", "--filter", "thruput"])
        #expect(throws: BenchmarkArguments.Error(description: "no suite matches --filter thruput (see --list)")) {
            try arguments.selected(from: BenchmarkMain.suites)
        }
        // Part of a manual suite's name selects neither it nor anything else.
        #expect(throws: BenchmarkArguments.Error.self) {
            try BenchmarkArguments(parsing: ["--filter", "profile"]).selected(from: BenchmarkMain.suites)
        }
    }
}
