// asyncsinks-loadgen: logs a realistic load through console, file and Loki sinks and checks that
// every record is accounted for. Run `asyncsinks-loadgen --help` for the options.
import AsyncSinksLoadGenerator
import Foundation

let options: LoadOptions
do {
    options = try LoadOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("asyncsinks-loadgen: \(error)\n\n\(LoadOptions.usage)\n".utf8))
    exit(2)
}
if options.help {
    print(LoadOptions.usage)
    exit(0)
}

/// A progress line on a terminal, rewritten in place; `nil` when standard error is redirected.
func progressLine(total: Int) -> (@Sendable (Int) -> Void)? {
    guard isatty(STDERR_FILENO) == 1 else { return nil }
    return { logged in
        let percent = total > 0 ? logged * 100 / total : 100
        FileHandle.standardError.write(Data("\r\u{1B}[Klogged \(logged)/\(total) (\(percent)%)".utf8))
    }
}
let progress = progressLine(total: options.total)

let report: LoadReport
do {
    report = try LoadRunner.run(options: options, progress: progress)
} catch {
    FileHandle.standardError.write(Data("asyncsinks-loadgen: \(error)\n".utf8))
    exit(3)
}
if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
print(options.json ? report.json : report.text)
exit(report.passed ? 0 : 1)
