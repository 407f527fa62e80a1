@testable import SinkFile
import Testing

@Suite("FileNamingScheme")
struct FileNamingSchemeTests {
    @Test("a rotated name carries the UTC time and a six-digit sequence before the extension")
    func rotatedName() {
        let scheme = FileNamingScheme(path: "/var/log/app.log")
        #expect(scheme.directory == "/var/log")
        #expect(scheme.stem == "app")
        #expect(scheme.fileExtension == ".log")
        // 2026-11-24T08:15:50Z
        let seconds = CivilTime(year: 2026, month: 11, day: 24, hour: 8, minute: 15, second: 50).secondsSinceEpoch
        #expect(scheme.rotatedName(secondsSinceEpoch: seconds, sequence: 42) == "app.20261124T081550Z.000042.log")
    }

    @Test("parsing recovers time, sequence and state of plain, compressed and temporary files")
    func parseRoundTrip() throws {
        let scheme = FileNamingScheme(path: "logs/app.log")
        let seconds: Int64 = 1_795_000_000
        let name = scheme.rotatedName(secondsSinceEpoch: seconds, sequence: 1_234_567)
        #expect(name.hasSuffix(".1234567.log"))
        let plain = try #require(scheme.parse(name))
        #expect(plain.sequence == 1_234_567)
        #expect(plain.rotatedAtSeconds == seconds)
        #expect(plain.state == .plain)
        #expect(plain.baseName == name)
        let compressed = try #require(scheme.parse(name + ".gz"))
        #expect(compressed.state == .compressed)
        #expect(compressed.baseName == name)
        let temporary = try #require(scheme.parse(name + ".gz.tmp"))
        #expect(temporary.state == .temporary)
        #expect(temporary.baseName == name)
    }

    @Test("foreign names are not recognised", arguments: [
        "app.log", "app.log.1", "app.log.bak", "other.20260101T000000Z.000001.log", "app.20260101T000000Z.log",
        "app.20260101T000000Z.000001.txt", "app.20261301T000000Z.000001.log", "app.2026010XT000000Z.000001.log",
        "app.20260101T000000Z.00000a.log", "app.notes.log", "app.20260101T000000Z..log", "app.20260101T000000Z.000001.log.zip",
    ])
    func foreignNames(name: String) {
        let scheme = FileNamingScheme(path: "/tmp/app.log")
        #expect(scheme.parse(name) == nil)
    }

    @Test("files without an extension and relative paths")
    func noExtension() throws {
        let scheme = FileNamingScheme(path: "service")
        #expect(scheme.directory == ".")
        #expect(scheme.activePath == "./service")
        #expect(scheme.fileExtension.isEmpty)
        let name = scheme.rotatedName(secondsSinceEpoch: 0, sequence: 1)
        #expect(name == "service.19700101T000000Z.000001")
        #expect(try #require(scheme.parse(name)).sequence == 1)
        #expect(FileNamingScheme(path: "/root.log").activePath == "/root.log")
    }

    @Test("calendar conversion round-trips across eras and leap days")
    func civilTime() {
        for seconds: Int64 in [0, 951_782_400, 1_709_164_800, 4_102_444_799, -86_401, 1_767_225_600] {
            let time = CivilTime(secondsSinceEpoch: seconds)
            #expect(time.secondsSinceEpoch == seconds)
        }
        #expect(CivilTime(secondsSinceEpoch: 1_709_164_800) == CivilTime(year: 2024, month: 2, day: 29, hour: 0, minute: 0, second: 0))
        #expect(CivilTime(secondsSinceEpoch: -1) == CivilTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
    }
}
