import AsyncSinks
import AsyncSinksLoadGenerator
import Testing

@Suite("RecordMix")
struct RecordMixTests {
    @Test("The same seed gives the same calls")
    func reproducible() {
        var first = RecordMix(seed: 42)
        var second = RecordMix(seed: 42)
        for _ in 0..<100 {
            let a = first.next()
            let b = second.next()
            #expect(a.message == b.message)
            #expect(a.level == b.level)
            #expect(a.fields == b.fields)
        }
    }

    @Test("Calls spread over services and levels, mostly info, with per-request fields")
    func realistic() {
        var mix = RecordMix(seed: 7)
        var levels: [LogLevel: Int] = [:]
        var services = Set<String>()
        var requestIDs = Set<String>()
        for _ in 0..<5000 {
            let call = mix.next()
            levels[call.level, default: 0] += 1
            services.insert(call.service)
            if case .string(let id)? = call.fields[key: "request_id"] { requestIDs.insert(id) }
            #expect(call.fields[key: "user_id"] != nil)
            #expect(call.fields[key: "service"] == .string(call.service))
        }
        #expect(services.count == RecordMix.services.count)
        #expect(levels.count == LogLevel.allCases.count)
        #expect((levels[.info] ?? 0) > 2500)
        #expect(requestIDs.count > 4900)
    }

    @Test("Line padding makes records about the requested size")
    func padding() {
        var mix = RecordMix(seed: 1, lineBytes: 600)
        let call = mix.next()
        let size = LogRecord(timestamp: LogTimestamp(nanosecondsSinceEpoch: 0), level: call.level, message: call.message, fields: call.fields, label: call.service)
            .estimatedSize
        #expect(size == 600)
    }
}
