// Runs the benchmark suites and prints one line per metric: ours, the peer measured in the same
// runs, the ratio and the target. Writes the same data as JSON.
//
//   swift run -c release --package-path Benchmarks asyncsinks-benchmarks [--quick] [--filter NAME]...
//       [--runs N] [--output PATH]
import Foundation

BenchmarkMain.run(arguments: Array(CommandLine.arguments.dropFirst()))
