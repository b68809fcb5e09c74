import Foundation
import PaylaterCLI

exit(PaylaterCLI.run(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
