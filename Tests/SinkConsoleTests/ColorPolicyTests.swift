import SinkConsole
import Testing

@Suite struct ColorPolicyTests {
    private let automatic = ConsoleSink.ColorPolicy.automatic

    @Test func automaticFollowsTheTerminalWithoutEnvironment() {
        #expect(automatic.usesColors(isTerminal: true, environment: [:]))
        #expect(!automatic.usesColors(isTerminal: false, environment: [:]))
    }

    @Test func noColorTurnsColoursOffUnlessEmpty() {
        #expect(!automatic.usesColors(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!automatic.usesColors(isTerminal: true, environment: ["NO_COLOR": "yes please"]))
        #expect(automatic.usesColors(isTerminal: true, environment: ["NO_COLOR": ""]))
    }

    @Test func forceColorTurnsColoursOnEvenWithoutTerminalOrWithNoColor() {
        #expect(automatic.usesColors(isTerminal: false, environment: ["FORCE_COLOR": "1"]))
        #expect(automatic.usesColors(isTerminal: false, environment: ["FORCE_COLOR": "true"]))
        #expect(automatic.usesColors(isTerminal: false, environment: ["FORCE_COLOR": "3", "NO_COLOR": "1"]))
        #expect(automatic.usesColors(isTerminal: false, environment: ["FORCE_COLOR": "1", "TERM": "dumb"]))
    }

    @Test func forceColorZeroOrFalseTurnsColoursOff() {
        #expect(!automatic.usesColors(isTerminal: true, environment: ["FORCE_COLOR": "0"]))
        #expect(!automatic.usesColors(isTerminal: true, environment: ["FORCE_COLOR": "false"]))
        #expect(!automatic.usesColors(isTerminal: true, environment: ["FORCE_COLOR": "FALSE"]))
        // An empty FORCE_COLOR is ignored.
        #expect(automatic.usesColors(isTerminal: true, environment: ["FORCE_COLOR": ""]))
        #expect(!automatic.usesColors(isTerminal: false, environment: ["FORCE_COLOR": ""]))
    }

    @Test func dumbTerminalGetsNoColours() {
        #expect(!automatic.usesColors(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(automatic.usesColors(isTerminal: true, environment: ["TERM": "xterm-256color"]))
    }

    @Test func alwaysAndNeverIgnoreEverything() {
        for isTerminal in [true, false] {
            for environment in [[:], ["NO_COLOR": "1"], ["FORCE_COLOR": "1"], ["TERM": "dumb"]] {
                #expect(ConsoleSink.ColorPolicy.always.usesColors(isTerminal: isTerminal, environment: environment))
                #expect(!ConsoleSink.ColorPolicy.never.usesColors(isTerminal: isTerminal, environment: environment))
            }
        }
    }

    @Test func descriptions() {
        #expect([ConsoleSink.ColorPolicy.automatic, .always, .never].map(\.description) == ["automatic", "always", "never"])
    }
}
