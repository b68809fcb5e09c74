import Foundation
import PaylaterStore
import Synchronization

/// Sends due webhook deliveries in the background, up to the dispatcher's `endpointsAtOnce` endpoints at once, each
/// in a lane (a thread) of its own, so the loop that calls `dispatchDue` (the API server's worker) never waits for a
/// slow endpoint: a delivery to another endpoint, due a second later, goes out while the slow one still hangs.
///
/// A pass claims nothing for an endpoint still being sent to, and claims only while a lane is free and no batch of
/// an earlier pass is waiting for one. So a claimed delivery waits at most for the batches in the lanes and those
/// claimed with it, `2 × passLimit` requests of `timeout` each, which the lease outlasts. Call `dispatchDue` from
/// one thread.
public final class WebhookDeliveryLanes: Sendable {
    private struct State {
        /// Endpoints with a batch in a lane or waiting for one.
        var busy: Set<WebhookEndpointKey> = []
        var waiting: [WebhookEndpointBatch] = []
        var running = 0
    }

    public let dispatcher: WebhookDispatcher
    /// The most deliveries one pass claims.
    public let passLimit: Int
    private let state = Mutex(State())
    private let stopped = Atomic<Bool>(false)
    private let lanesDone = DispatchGroup()
    private let reporter: @Sendable (any Error) -> Void

    /// `reporter` hears of attempts that could not be recorded (the store failed); the delivery is claimed again
    /// when its lease lapses.
    public init(dispatcher: WebhookDispatcher, passLimit: Int = 50, reporter: @escaping @Sendable (any Error) -> Void = { _ in }) {
        precondition((1...WebhookDispatcher.limitMaximum).contains(passLimit), "a pass limit in 1...\(WebhookDispatcher.limitMaximum)")
        precondition(dispatcher.lease > dispatcher.timeout * (2 * passLimit), "the lease outlasts the lanes' and a pass's timeouts")
        self.dispatcher = dispatcher
        self.passLimit = passLimit
        self.reporter = reporter
    }

    /// One pass: when a lane is free and no batch waits, claims due deliveries of the endpoints not being sent to
    /// and starts sending them; returns at once, with how many it claimed.
    @discardableResult
    public func dispatchDue() throws -> Int {
        let excluded: Set<WebhookEndpointKey>? = state.withLock { state in
            state.running < dispatcher.endpointsAtOnce && state.waiting.isEmpty ? state.busy : nil
        }
        guard let excluded else { return 0 }
        let batches = try dispatcher.claim(limit: passLimit, excluding: excluded)
        let started = state.withLock { state in
            for batch in batches { state.busy.insert(batch.endpoint) }
            state.waiting += batches
            let count = min(dispatcher.endpointsAtOnce - state.running, state.waiting.count)
            state.running += count
            defer { state.waiting.removeFirst(count) }
            return Array(state.waiting.prefix(count))
        }
        for batch in started {
            lanesDone.enter()
            Thread.detachNewThread { [self] in runLane(from: batch) }
        }
        return batches.reduce(0) { $0 + $1.deliveries.count }
    }

    /// Waits until every lane has finished (at shutdown, after the last pass).
    public func waitUntilIdle() { lanesDone.wait() }

    /// Stops sending (at shutdown): each lane finishes the delivery it is sending, then gives back the rest of what
    /// it and the waiting batches had claimed, due again at once for the next server, instead of sending on for up
    /// to a timeout per delivery (minutes with a hanging endpoint) while the server waits to stop.
    public func stop() { stopped.store(true, ordering: .releasing) }

    /// Sends `first`, then any waiting batch, until none waits.
    private func runLane(from first: WebhookEndpointBatch) {
        var next: WebhookEndpointBatch? = first
        while let batch = next {
            do { _ = try dispatcher.send(batch) { !stopped.load(ordering: .acquiring) } } catch { reporter(error) }
            next = state.withLock { state in
                state.busy.remove(batch.endpoint)
                guard !state.waiting.isEmpty else {
                    state.running -= 1
                    return nil
                }
                return state.waiting.removeFirst()
            }
        }
        lanesDone.leave()
    }
}
