import AsyncSinks
import AsyncSinksGzip
import Foundation
@testable import SinkFile
import Synchronization
import Testing

/// Writes each record's message as its line: lines of exactly known length.
struct MessageLineFormatter: LogFormatter {
    func format(_ record: LogRecord, into buffer: LineBuffer) {
        buffer.append(record.message)
        buffer.append(UInt8(ascii: "\n"))
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "asyncsinks-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func contents(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }

    func size(_ name: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(name))
        return (attributes[.size] as? NSNumber)?.intValue ?? -1
    }

    /// The rotated files of the active file `activeName`, oldest first.
    func rotated(of activeName: String) throws -> [RotatedFileName] {
        let scheme = FileNamingScheme(path: file(activeName))
        return try names().compactMap { scheme.parse($0) }.sorted { $0.sequence < $1.sequence }
    }

    /// Every line of the active file and its rotated files, oldest file first; compressed files are
    /// decompressed with the system's gzip.
    func allLines(of activeName: String) throws -> [String] {
        var lines: [String] = []
        for file in try rotated(of: activeName) {
            let text: String
            switch file.state {
            case .compressed: text = String(decoding: try SystemGzip.decompress(file: self.file(file.name)), as: UTF8.self)
            case .plain: text = try contents(file.name)
            case .temporary: continue
            }
            lines.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
        }
        if FileManager.default.fileExists(atPath: file(activeName)) {
            let text = try contents(activeName)
            lines.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
        }
        return lines
    }
}

enum SystemGzip {
    /// Decompresses with `gzip -dc`, independent of the compressor under test.
    static func decompress(file: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", file]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadCorruptFile) }
        return [UInt8](data)
    }

    /// The exit status of `gzip -t file`.
    static func test(file: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-t", file]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

enum Records {
    static func make(_ messages: [String], at timestamp: LogTimestamp = LogTimestamp(nanosecondsSinceEpoch: 0)) -> [LogRecord] {
        messages.map { LogRecord(timestamp: timestamp, level: .info, message: $0) }
    }

    static func batch(_ messages: [String]) -> LogBatch {
        LogBatch(records: make(messages))
    }
}

extension FileSinkConfiguration {
    /// A test configuration: message lines, no background interval checks unless asked.
    static func testing(
        path: String,
        rotation: FileRotationPolicy = .never,
        retention: FileRetentionPolicy = .unlimited,
        compression: FileCompression = .none,
        preallocation: FilePreallocation = .default,
        clock: PipelineClock = .manual(ManualClock()),
        externalChangeCheckInterval: Duration? = nil,
        hooks: FileSinkHooks = .none
    ) -> FileSinkConfiguration {
        FileSinkConfiguration(
            path: path,
            formatter: MessageLineFormatter(),
            rotation: rotation,
            retention: retention,
            compression: compression,
            preallocation: preallocation,
            externalChangeCheckInterval: externalChangeCheckInterval,
            clock: clock,
            hooks: hooks
        )
    }
}

/// Collects hook events for assertions.
final class HookRecorder: Sendable {
    let events = Mutex<[String]>([])

    var hooks: FileSinkHooks {
        FileSinkHooks(
            rotated: { active, rotated in self.record("rotated \(Self.name(active)) -> \(Self.name(rotated))") },
            compressed: { source, destination in self.record("compressed \(Self.name(source)) -> \(Self.name(destination))") },
            compressionFailed: { source, message in self.record("compressionFailed \(Self.name(source)): \(message)") },
            deleted: { path in self.record("deleted \(Self.name(path))") },
            reopened: { path, reason in self.record("reopened \(Self.name(path)): \(reason)") }
        )
    }

    func record(_ event: String) {
        events.withLock { $0.append(event) }
    }

    func matching(_ prefix: String) -> [String] {
        events.withLock { $0.filter { $0.hasPrefix(prefix) } }
    }

    private static func name(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
