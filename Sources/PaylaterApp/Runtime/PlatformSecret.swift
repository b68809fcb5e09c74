import PaylaterCrypto
import PaylaterStore
import PaylaterTime

/// Secret keys the platform makes for itself on first use (identifier hashing, shopper tokens), kept in the
/// database's platform settings so every node of one deployment shares them.
enum PlatformSecret {
    /// The key stored under `name`, made from the system's secure random source the first time it is asked for;
    /// under a race the first writer's key wins and every caller gets that one.
    static func key(named name: String, byteCount: Int, in database: any Database, at now: Instant) throws -> [UInt8] {
        let hex = try database.write { connection in
            let repository = UnderwritingRepository(connection)
            if let key = try repository.setting(name) { return key }
            let fresh = Hex.encode(try SecureRandom.bytes(count: byteCount))
            return try repository.settingInsertingIfAbsent(name, value: fresh, at: now)
        }
        return try Hex.decode(hex)
    }
}
