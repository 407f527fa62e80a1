/// The naming scheme of rotated files, and the parser that recognises the sink's own files.
///
/// For an active file `app.log` (stem `app`, extension `.log`), a rotated file is named
///
///     app.<yyyyMMdd>T<HHmmss>Z.<sequence>.log        e.g. app.20261124T081550Z.000042.log
///
/// where the timestamp is the UTC time of the rotation and the sequence is a counter, at least six
/// digits, that increases by one with every rotation and continues after a restart. A compressed file
/// adds `.gz`, and a compression in progress writes `<rotated name>.gz.tmp`. An active file without
/// extension (`app`) gives `app.20261124T081550Z.000042`. Names sort chronologically as text while
/// the sequence has six digits; the sink itself orders files by sequence number.
package struct FileNamingScheme: Sendable, Equatable {
    /// The directory of the active file, without a trailing slash.
    package let directory: String
    /// The active file's name, without directory.
    package let activeName: String
    /// The part of the active file's name before its extension.
    package let stem: String
    /// The active file's extension including the dot (`.log`), or an empty string.
    package let fileExtension: String

    /// The suffix of a compressed rotated file.
    package static let compressedSuffix = ".gz"
    /// The suffix of a compressed file being written.
    package static let temporarySuffix = ".gz.tmp"

    /// Splits an active file path into directory, stem and extension.
    ///
    /// - Parameter path: The active file's path (relative or absolute).
    package init(path: String) {
        if let slash = path.lastIndex(of: "/") {
            let directoryPart = String(path[..<slash])
            directory = directoryPart.isEmpty ? "/" : directoryPart
            activeName = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            activeName = path
        }
        if let dot = activeName.lastIndex(of: "."), dot != activeName.startIndex {
            stem = String(activeName[..<dot])
            fileExtension = String(activeName[dot...])
        } else {
            stem = activeName
            fileExtension = ""
        }
    }

    /// The active file's full path.
    package var activePath: String { path(of: activeName) }

    /// The full path of `name` in the sink's directory.
    package func path(of name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// The name of a file rotated at `secondsSinceEpoch` with sequence number `sequence`.
    package func rotatedName(secondsSinceEpoch: Int64, sequence: Int) -> String {
        let time = CivilTime(secondsSinceEpoch: secondsSinceEpoch)
        var name = stem
        name += "."
        name += Self.padded(time.year, 4) + Self.padded(time.month, 2) + Self.padded(time.day, 2)
        name += "T" + Self.padded(time.hour, 2) + Self.padded(time.minute, 2) + Self.padded(time.second, 2) + "Z."
        name += Self.padded(sequence, 6)
        name += fileExtension
        return name
    }

    /// Recognises a name produced by this scheme.
    ///
    /// - Parameter name: A file name in the sink's directory.
    /// - Returns: The parsed name, or `nil` for any other file (which the sink never touches).
    package func parse(_ name: String) -> RotatedFileName? {
        var rest = Substring(name)
        var state = RotatedFileName.State.plain
        if rest.hasSuffix(Self.temporarySuffix) {
            rest = rest.dropLast(Self.temporarySuffix.count)
            state = .temporary
        } else if rest.hasSuffix(Self.compressedSuffix) {
            rest = rest.dropLast(Self.compressedSuffix.count)
            state = .compressed
        }
        guard rest.hasPrefix(stem + "."), rest.hasSuffix(fileExtension) else { return nil }
        rest = rest.dropFirst(stem.count + 1).dropLast(fileExtension.count)
        // rest is now "yyyyMMddTHHmmssZ.<digits>"
        let utf8 = Array(rest.utf8)
        guard utf8.count >= 18, utf8[8] == UInt8(ascii: "T"), utf8[15] == UInt8(ascii: "Z"),
              utf8[16] == UInt8(ascii: ".")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = utf8[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                if value > Int.max / 20 { return nil }
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
              let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
              let sequence = number(17..<utf8.count),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let base = String(name.utf8.prefix(name.utf8.count - state.suffix.utf8.count)) ?? name
        let seconds = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .secondsSinceEpoch
        return RotatedFileName(name: name, baseName: base, rotatedAtSeconds: seconds, sequence: sequence, state: state)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
