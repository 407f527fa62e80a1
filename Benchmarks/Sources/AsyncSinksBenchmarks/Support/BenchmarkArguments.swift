/// What the command line asks for: run suites (with which options), list them, or print the usage.
struct BenchmarkArguments: Equatable {
    /// What the invocation does.
    enum Action: Equatable {
        case run
        case list
        case help
    }

    /// An argument the command cannot act on, with the message to print.
    struct Error: Swift.Error, Equatable, CustomStringConvertible {
        var description: String
    }

    static let usage =
        "usage: asyncsinks-benchmarks [--quick] [--filter NAME]... [--runs N] [--output PATH] [--list] [--trace-allocations N]"

    var action = Action.run
    var options = RunOptions()
    /// The `--filter` names, in order; empty selects every suite that is not manual.
    var filters: [String] = []
    /// Where the JSON goes; nil leaves the choice to the caller.
    var output: String?

    /// Parses the arguments after the program's name.
    ///
    /// - Parameter arguments: The arguments, without the program's name.
    /// - Throws: ``Error`` for an unknown argument, a missing value, or a count that is not a whole
    ///   number in range.
    init(parsing arguments: [String]) throws(Error) {
        var remaining = arguments[...]
        func value(of option: String) throws(Error) -> String {
            guard let value = remaining.popFirst() else { throw Error(description: "\(option) needs a value (see --help)") }
            return value
        }
        func count(of option: String, minimum: Int) throws(Error) -> Int {
            let text = try value(of: option)
            guard let count = Int(text), count >= minimum else {
                throw Error(description: "\(option) needs a whole number of at least \(minimum), not \(text)")
            }
            return count
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick": options.quick = true
            case "--filter": filters.append(try value(of: argument))
            case "--output": output = try value(of: argument)
            case "--runs": options.runs = try count(of: argument, minimum: 1)
            case "--trace-allocations": options.traceAllocations = try count(of: argument, minimum: 0)
            case "--list": action = .list
            case "--help", "-h": action = .help
            default: throw Error(description: "unknown argument \(argument) (see --help)")
            }
        }
    }

    /// The suites the filters select, in the order of `suites`: without filters every suite that is
    /// not manual; with them, every suite whose name contains one of them, and a manual suite only
    /// when one names it exactly.
    ///
    /// - Parameter suites: Every suite.
    /// - Returns: The selected suites.
    /// - Throws: ``Error`` when a filter selects no suite, so that a misspelt name does not pass for
    ///   an empty run.
    func selected(from suites: [Suite]) throws(Error) -> [Suite] {
        func selects(_ filter: String, _ suite: Suite) -> Bool {
            suite.manual ? suite.name == filter : suite.name.contains(filter)
        }
        if let unmatched = filters.first(where: { filter in !suites.contains { selects(filter, $0) } }) {
            throw Error(description: "no suite matches --filter \(unmatched) (see --list)")
        }
        return suites.filter { suite in
            filters.isEmpty ? !suite.manual : filters.contains { selects($0, suite) }
        }
    }
}
