// swift-tools-version:6.0
// Paylater: an open-source buy-now-pay-later platform.
//
// Dependencies point one way: the `paylater` executable → PaylaterCLI → PaylaterApp → store implementations →
// PaylaterStore → pure domain modules (PaylaterLedger → PaylaterMoney, PaylaterTime). C libraries live in their own
// tiny `C*` system-library targets and are imported `internal` by exactly one Swift module each.
import PackageDescription

/// Settings every Swift target shares: Swift 6 mode (strict concurrency) and the upcoming features that make what a
/// module exposes deliberate.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Paylater",
    products: [
        .executable(name: "paylater", targets: ["paylater"]),
    ],
    targets: [
        // C libraries from Debian, one system-library target each.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSSL", pkgConfig: "libssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),

        // Pure domain: value types and functions, no I/O; clocks and randomness are passed in.
        .target(name: "PaylaterMoney", swiftSettings: swiftSettings),
        .target(name: "PaylaterTime", swiftSettings: swiftSettings),
        .target(name: "PaylaterLedger", dependencies: ["PaylaterMoney", "PaylaterTime"], swiftSettings: swiftSettings),
        .target(name: "PaylaterProducts", dependencies: ["PaylaterJSON", "PaylaterMoney", "PaylaterTime"], swiftSettings: swiftSettings),
        .target(name: "PaylaterUnderwriting", dependencies: ["PaylaterJSON", "PaylaterMoney", "PaylaterTime"], swiftSettings: swiftSettings),
        .target(name: "PaylaterCollections", dependencies: ["PaylaterTime"], swiftSettings: swiftSettings),

        // Infrastructure: the JSON grammar check the store and the HTTP server share, and wrappers around C libraries.
        .target(name: "PaylaterJSON", swiftSettings: swiftSettings),
        .target(name: "PaylaterCrypto", dependencies: ["CCrypto"], swiftSettings: swiftSettings),
        .target(name: "PaylaterTLS", dependencies: ["CSSL"], swiftSettings: swiftSettings),
        .target(name: "PaylaterHTTP", dependencies: ["CMicroHTTPD", "PaylaterJSON", "PaylaterTime"], swiftSettings: swiftSettings),

        // Storage: the abstraction and its repositories, then one module per engine.
        .target(
            name: "PaylaterStore",
            dependencies: ["PaylaterLedger", "PaylaterMoney", "PaylaterTime", "PaylaterJSON"],
            swiftSettings: swiftSettings
        ),
        .target(name: "PaylaterSQLite", dependencies: ["PaylaterStore", "CSQLite"], swiftSettings: swiftSettings),
        .target(name: "PaylaterPostgres", dependencies: ["PaylaterStore", "CPostgres"], swiftSettings: swiftSettings),

        // Application services: load state, call the domain, commit one transaction.
        .target(
            name: "PaylaterApp",
            dependencies: [
                "PaylaterLedger", "PaylaterMoney", "PaylaterTime", "PaylaterStore", "PaylaterSQLite", "PaylaterPostgres",
                "PaylaterCrypto", "PaylaterTLS", "PaylaterProducts", "PaylaterUnderwriting", "PaylaterJSON",
                "PaylaterCollections",
            ],
            swiftSettings: swiftSettings
        ),

        // The edge: the HTTP API on libmicrohttpd, command-line parsing and wiring, and the executable.
        .target(
            name: "PaylaterAPI",
            dependencies: [
                "PaylaterHTTP", "PaylaterApp", "PaylaterStore", "PaylaterLedger", "PaylaterMoney", "PaylaterTime",
                "PaylaterProducts", "PaylaterUnderwriting", "PaylaterCrypto",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaylaterCLI",
            dependencies: [
                "PaylaterApp", "PaylaterLedger", "PaylaterMoney", "PaylaterTime", "PaylaterStore", "PaylaterProducts",
                "PaylaterUnderwriting", "PaylaterAPI", "PaylaterHTTP", "PaylaterPostgres", "PaylaterCollections",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "paylater", dependencies: ["PaylaterCLI"], swiftSettings: swiftSettings),

        // Fixtures shared by the test targets: an in-memory ledger model, seeded generators, temporary stores.
        .target(
            name: "PaylaterTestSupport",
            dependencies: [
                "PaylaterLedger", "PaylaterMoney", "PaylaterProducts", "PaylaterTime", "PaylaterStore", "PaylaterSQLite", "PaylaterPostgres",
            ],
            path: "Tests/PaylaterTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PaylaterMoneyTests", dependencies: ["PaylaterMoney", "PaylaterTime"], swiftSettings: swiftSettings),
        .testTarget(name: "PaylaterTimeTests", dependencies: ["PaylaterTime"], swiftSettings: swiftSettings),
        .testTarget(name: "PaylaterCollectionsTests", dependencies: ["PaylaterCollections", "PaylaterTime"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaylaterProductsTests",
            dependencies: ["PaylaterProducts", "PaylaterMoney", "PaylaterTime"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterUnderwritingTests",
            dependencies: ["PaylaterUnderwriting", "PaylaterMoney", "PaylaterTime"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterLedgerTests",
            dependencies: ["PaylaterTestSupport", "PaylaterLedger", "PaylaterMoney", "PaylaterTime"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterHTTPTests",
            dependencies: ["PaylaterHTTP", "PaylaterTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PaylaterJSONTests", dependencies: ["PaylaterJSON", "PaylaterTime"], swiftSettings: swiftSettings),
        .testTarget(name: "PaylaterCryptoTests", dependencies: ["PaylaterCrypto", "PaylaterTime", "PaylaterTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaylaterPostgresTests",
            dependencies: ["PaylaterPostgres", "PaylaterStore", "PaylaterLedger", "PaylaterMoney", "PaylaterTime"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterStoreTests",
            dependencies: ["PaylaterTestSupport", "PaylaterStore", "PaylaterSQLite", "PaylaterLedger", "PaylaterMoney", "PaylaterTime"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterAppTests",
            dependencies: [
                "PaylaterTestSupport", "PaylaterApp", "PaylaterSQLite", "PaylaterStore", "PaylaterLedger", "PaylaterMoney",
                "PaylaterTime", "PaylaterProducts", "PaylaterUnderwriting", "PaylaterCrypto", "PaylaterCollections",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterAPITests",
            dependencies: [
                "PaylaterAPI", "PaylaterHTTP", "PaylaterTestSupport", "PaylaterApp", "PaylaterStore", "PaylaterLedger",
                "PaylaterMoney", "PaylaterTime", "PaylaterProducts", "PaylaterUnderwriting", "PaylaterCrypto",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaylaterCLITests",
            dependencies: ["PaylaterTestSupport", "paylater", "PaylaterCLI", "PaylaterApp", "PaylaterStore", "PaylaterLedger", "PaylaterMoney", "PaylaterTime"],
            swiftSettings: swiftSettings
        ),
    ]
)
