import AsyncSinks
import Foundation
@testable import SinkFile
import Testing

@Suite("FileSink path errors")
struct FileSinkPathTests {
    private func creationError(_ path: String, fileSystem: (any FileSystem)? = nil, createDirectories: Bool = true) -> FileSinkError? {
        var configuration = FileSinkConfiguration.testing(path: path)
        configuration.createDirectories = createDirectories
        do {
            _ = try FileSink(configuration: configuration, fileSystem: fileSystem ?? POSIXFileSystem())
            return nil
        } catch {
            return error as? FileSinkError
        }
    }

    @Test("a directory is rejected")
    func directory() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(creationError(directory.path))
        #expect(error.reason == .isDirectory)
        #expect(error.message.contains(directory.path))
        #expect(try #require(creationError(directory.path + "/")).reason == .isDirectory)
        #expect(try #require(creationError(directory.path + "/..")).reason == .isDirectory)
    }

    @Test("empty, NUL-containing and overlong names are invalid")
    func invalidNames() throws {
        let directory = try TemporaryDirectory()
        #expect(try #require(creationError("")).reason == .invalidPath)
        #expect(try #require(creationError(directory.file("a\u{0}b.log"))).reason == .invalidPath)
        #expect(try #require(creationError(directory.file(String(repeating: "n", count: 300)))).reason == .invalidPath)
    }

    @Test("a parent that is a file, or a missing parent without directory creation, is reported")
    func badParents() throws {
        let directory = try TemporaryDirectory()
        try "x".write(toFile: directory.file("plain"), atomically: false, encoding: .utf8)
        let underFile = try #require(creationError(directory.file("plain/app.log")))
        #expect(underFile.reason == .cannotCreateDirectory)
        let missing = try #require(creationError(directory.file("missing/app.log"), createDirectories: false))
        #expect(missing.reason == .cannotCreateDirectory)
        #expect(missing.systemErrorCode == ENOENT)
    }

    @Test("no permission is reported as such")
    func permissionDenied() throws {
        let directory = try TemporaryDirectory()
        let fileSystem = FaultyFileSystem()
        fileSystem.fail(.open, code: EACCES)
        let error = try #require(creationError(directory.file("app.log"), fileSystem: fileSystem))
        #expect(error.reason == .permissionDenied)
        #expect(error.description.contains("EACCES"))
        let mkdirFS = FaultyFileSystem()
        mkdirFS.fail(.mkdir, code: EACCES)
        #expect(try #require(creationError(directory.file("sub/app.log"), fileSystem: mkdirFS)).reason == .permissionDenied)
    }
}
