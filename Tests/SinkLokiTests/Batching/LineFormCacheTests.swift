import AsyncSinks
@testable import SinkLoki
import Testing

@Suite("LineFormCache")
struct LineFormCacheTests {
    @Test("a kept form is appended for the same text, also one built at run time, and not for another")
    func keepsForms() {
        let cache = LineFormCache(formCapacity: 32)
        let buffer = LineBuffer()
        let slot = LineFormCache.slot(place: 0, byteCount: 4)
        #expect(!cache.appendForm(of: "path", slot: slot, to: buffer))
        buffer.append("msg=x path=")
        cache.keep("path", slot: slot, formFrom: 5, of: buffer)
        buffer.removeAll()

        #expect(cache.appendForm(of: "path", slot: slot, to: buffer))
        #expect(buffer.string == " path=")
        #expect(!cache.appendForm(of: "host", slot: slot, to: buffer))
        let built = String(repeating: "pa", count: 1) + String(repeating: "th", count: 1)
        #expect(cache.appendForm(of: built, slot: slot, to: buffer))
        #expect(buffer.string == " path= path=")
    }

    @Test("a form longer than the capacity is not kept, and empties its slot")
    func longForms() {
        let cache = LineFormCache(formCapacity: 32)
        let buffer = LineBuffer()
        let long = String(repeating: "k", count: cache.formCapacity)
        let slot = LineFormCache.slot(place: 1, byteCount: long.utf8.count)
        buffer.append(" \(long)=")
        cache.keep(long, slot: slot, formFrom: 0, of: buffer)
        #expect(!cache.appendForm(of: long, slot: slot, to: buffer))

        buffer.removeAll()
        buffer.append(" k=")
        cache.keep("k", slot: slot, formFrom: 0, of: buffer)
        #expect(cache.appendForm(of: "k", slot: slot, to: buffer))
        buffer.removeAll()
        buffer.append(" \(long)=")
        cache.keep(long, slot: slot, formFrom: 0, of: buffer)
        #expect(!cache.appendForm(of: "k", slot: slot, to: buffer))
    }

    @Test("a form of exactly the capacity is kept and copied whole")
    func fullForms() {
        let cache = LineFormCache(formCapacity: 40)
        #expect(cache.formCapacity == 48)
        let text = String(repeating: "abcdefgh", count: 6)
        let buffer = LineBuffer()
        buffer.append(text)
        cache.keep(text, slot: 5, formFrom: 0, of: buffer)
        buffer.removeAll()
        buffer.append("<")
        #expect(cache.appendForm(of: text, slot: 5, to: buffer))
        buffer.append(">")
        #expect(buffer.string == "<\(text)>")
    }

    /// Misses `count` times in `slot` of `cache`, each with a text of its own, and returns how many
    /// of those lookups the cache made.
    static func miss(_ cache: LineFormCache, slot: Int, times count: Int, tag: String) -> Int {
        let buffer = LineBuffer()
        var lookups = 0
        for index in 0..<count where cache.isLooking() {
            lookups += 1
            let text = "\(tag)\(index)"
            #expect(!cache.appendForm(of: text, slot: slot, to: buffer))
            buffer.removeAll()
            buffer.append(" \(text)=")
            cache.keep(text, slot: slot, formFrom: 0, of: buffer)
        }
        return lookups
    }

    @Test("after a long streak of misses the cache is not used for a while, then tried again")
    func pausesAfterMisses() {
        let cache = LineFormCache(formCapacity: 32)
        let limit = LineFormCache.missStreakLimit
        #expect(Self.miss(cache, slot: 3, times: limit + 1, tag: "a") == limit + 1)
        let skipped = (0..<LineFormCache.pauseLength).filter { _ in !cache.isLooking() }.count
        #expect(skipped == LineFormCache.pauseLength)
        #expect(cache.isLooking())
        // Tried again: the last text kept before the pause is still there.
        let buffer = LineBuffer()
        #expect(cache.appendForm(of: "a\(limit - 1)", slot: 3, to: buffer))
        #expect(buffer.string == " a\(limit - 1)=")
    }

    @Test("a hit ends a streak of misses, so a cache that keeps hitting never pauses")
    func hitsEndStreaks() {
        let cache = LineFormCache(formCapacity: 32)
        let limit = LineFormCache.missStreakLimit
        let buffer = LineBuffer()
        for round in 0..<3 {
            #expect(Self.miss(cache, slot: 7, times: limit, tag: "r\(round)-") == limit)
            #expect(cache.isLooking())
            #expect(cache.appendForm(of: "r\(round)-\(limit - 1)", slot: 7, to: buffer))
        }
        #expect(cache.isLooking())
    }

    static let long = String(repeating: "long_key_", count: 5)
    static let longMessage = String(repeating: "a long message, ", count: 9)

    /// Lines of several shapes: keys and messages repeated, other keys and messages of the same
    /// lengths at the same places, keys and messages too long to keep, and keys and messages that
    /// are sanitised or escaped.
    static let shapes: [(message: String, fields: [(String, LogValue)])] = [
        ("request served", [("path", .string("/a")), ("status", .int(200)), ("a b=\"c", .bool(true))]),
        ("request served", [("path", .string("/b")), ("status", .int(404)), ("a b=\"c", .bool(false))]),
        ("cache lookups!", [("host", .string("h")), ("region", .int(1)), ("x\\y=z", .int(2))]),
        (longMessage, [("path", .string("/c")), ("status", .int(500)), (long, .int(3)), ("", .int(4)), ("héllo", .int(5))]),
        ("say \"hi\"\n", [("path", .string("/d")), ("status", .int(503)), (long, .int(3)), ("", .int(4)), ("héllo", .int(5))]),
        ("", [("ms", .int(1))]),
    ]

    /// The lines one writer writes for `shapes`, one after the other, with one pair of caches.
    static func lines(_ syntax: LineWriter.Syntax, _ shapes: [(message: String, fields: [(String, LogValue)])],
                      keyForms: LineFormCache, messageForms: LineFormCache) -> [String] {
        let store = EntryStore()
        var writer = LineWriter(style: syntax, lines: store.lines, store: store, metadata: nil,
                                keyForms: keyForms, messageForms: messageForms)
        var written: [String] = []
        for shape in shapes {
            store.lines.removeAll()
            writer.startEntry()
            writer.begin(message: shape.message)
            for (key, value) in shape.fields { writer.field(key, value) }
            writer.end()
            written.append(store.lines.string)
        }
        return written
    }

    @Test("lines written with the forms kept from earlier lines are the lines a fresh writer writes",
          arguments: [LineWriter.Syntax.logfmt, .json])
    func sameLines(syntax: LineWriter.Syntax) {
        let keyForms = LineFormCache.forKeys()
        let messageForms = LineFormCache.forMessages()
        let all = Self.shapes + Self.shapes
        let warm = Self.lines(syntax, all, keyForms: keyForms, messageForms: messageForms)
        let fresh = all.map {
            Self.lines(syntax, [$0], keyForms: .forKeys(), messageForms: .forMessages())[0]
        }
        #expect(warm == fresh)
        if syntax == .logfmt {
            #expect(fresh[2] == #"msg="cache lookups!" host=h region=1 x_y_z=2"#)
            #expect(fresh[4] == #"msg="say \"hi\"\n" path=/d status=503 \#(Self.long)=3 _=4 héllo=5"#)
        } else {
            #expect(fresh[2] == #"{"msg":"cache lookups!","host":"h","region":1,"x\\y=z":2}"#)
        }

        // The second pass found the keys and messages in the caches.
        let buffer = LineBuffer()
        #expect(keyForms.appendForm(of: "path", slot: LineFormCache.slot(place: 0, byteCount: 4), to: buffer))
        #expect(keyForms.appendForm(of: "status", slot: LineFormCache.slot(place: 1, byteCount: 6), to: buffer))
        #expect(messageForms.appendForm(of: "say \"hi\"\n", slot: LineFormCache.slot(place: 0, byteCount: 9), to: buffer))
        let expected = syntax == .logfmt ? #" path= status=msg="say \"hi\"\n""# : #","path":,"status":{"msg":"say \"hi\"\n""#
        #expect(buffer.string == expected)
    }
}
