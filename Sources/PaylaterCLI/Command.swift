public import PaylaterTime

/// How `paylater` ends: 0 success, 1 a failed check or operation, 2 a usage or input mistake.
public enum ExitCode: Int32, Sendable {
    case success = 0
    case failure = 1
    case usage = 2
}

/// A mistake in an input file the user gave: reported like a usage error, exit code 2.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a command may use: where to write, the environment, and the clock.
public struct CommandContext: Sendable {
    public let console: any Console
    public let environment: [String: String]
    public let clock: any Clock

    public init(console: any Console, environment: [String: String], clock: any Clock) {
        self.console = console
        self.environment = environment
        self.clock = clock
    }
}

/// One `paylater` subcommand.
protocol Command: Sendable {
    static var spec: CommandSpec { get }
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode
}
