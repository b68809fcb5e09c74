/// The OpenAPI 3.1 document of the API (filled in below).
enum OpenAPIDocument {
    static let json = "{}"
}
