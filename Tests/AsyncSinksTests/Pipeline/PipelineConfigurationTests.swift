import AsyncSinks
import Testing

@Suite struct PipelineConfigurationTests {
    @Test func theIntakeIntervalsDefaultToTwoMillisecondsDownToAQuarterMillisecond() {
        let configuration = PipelineConfiguration.default
        #expect(configuration.intakeInterval == .milliseconds(2))
        #expect(configuration.minimumIntakeInterval == .microseconds(250))
    }

    @Test func theMinimumIntakeIntervalIsAtMostTheIntervalAndPositive() {
        #expect(PipelineConfiguration(intakeInterval: .milliseconds(1), minimumIntakeInterval: .milliseconds(5)).minimumIntakeInterval
            == .milliseconds(1))
        #expect(PipelineConfiguration(minimumIntakeInterval: .zero).minimumIntakeInterval == .microseconds(1))
    }
}
