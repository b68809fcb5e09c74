/// Checks text against the Prometheus exposition format 0.0.4, line by line.
enum PrometheusFormat {
    /// The lines that are neither `# HELP`/`# TYPE` comments nor `name{labels} value` samples.
    static func invalidLines(_ text: String) -> [String] {
        let sample = try! Regex(#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$"#)
        let comment = try! Regex(#"^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$"#)
        guard text.hasSuffix("\n") else { return ["(no final line feed)"] }
        return text.split(separator: "\n").map(String.init).filter { line in
            line.wholeMatch(of: sample) == nil && line.wholeMatch(of: comment) == nil
        }
    }
}
