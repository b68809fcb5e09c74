/// The version of this build of Paylater.
public enum PaylaterVersion {
    public static let current = "0.1.0"
}
