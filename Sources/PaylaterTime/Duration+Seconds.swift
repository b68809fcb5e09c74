extension Duration {
    /// The duration in seconds as a floating-point number: for rates and metrics, never for money or dates.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
