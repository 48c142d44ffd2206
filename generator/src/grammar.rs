//! The one description of the OpenAPI grammar: which object each position of a document
//! holds, so that a `$ref` found there is known to stand for a schema, a parameter, a
//! response, …, and a walk knows where schemas are. Bundling, the hoisting of local
//! references and normalization all walk documents by it.

/// The OpenAPI object (or schema part) at a position of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Callback,
    Responses,
    Components,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Encoding,
    Example,
    Link,
    SecurityScheme,
    Schema,
    Discriminator,
    /// A value of `discriminator.mapping`: a schema name or a reference, as a string.
    MappingTarget,
}

/// How the value under a key holds objects of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The value is one object of the kind.
    One(Kind),
    /// The value maps names to objects of the kind.
    Map(Kind),
    /// The value lists objects of the kind.
    List(Kind),
}

/// The HTTP methods a path item holds under their own keys (OpenAPI 3.2's `query` and
/// `additionalOperations` are listed in [`Kind::child`] apart).
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Kind {
    /// What the value under `key` holds, or `None` where no `$ref` can stand for an object
    /// (literal data such as `example`, `default` or `enum`, extensions, `info`, …).
    pub(crate) fn child(self, key: &str) -> Option<Slot> {
        use Kind::*;
        use Slot::*;
        let extension = key.starts_with("x-");
        match (self, key) {
            (Document, "paths") => Some(One(Paths)),
            (Document, "webhooks") => Some(Map(PathItem)),
            (Document, "components") => Some(One(Components)),
            (Paths, _) if key.starts_with('/') => Some(One(PathItem)),
            (Callback, _) if !extension => Some(One(PathItem)),
            (Responses, _) if !extension => Some(One(Response)),
            (PathItem, "parameters") | (Operation, "parameters") => Some(List(Parameter)),
            (PathItem, _) if METHODS.contains(&key) => Some(One(Operation)),
            (PathItem, "query") => Some(One(Operation)),
            (PathItem, "additionalOperations") => Some(Map(Operation)),
            (Operation, "requestBody") => Some(One(RequestBody)),
            (Operation, "responses") => Some(One(Responses)),
            (Operation, "callbacks") => Some(Map(Callback)),
            (Components, _) => component_section(key).map(Map),
            (Parameter | Header | MediaType, "schema") => Some(One(Schema)),
            (MediaType, "itemSchema") => Some(One(Schema)),
            (Parameter | Header | RequestBody | Response, "content") => Some(Map(MediaType)),
            (Parameter | Header | MediaType, "examples") => Some(Map(Example)),
            (Response | Encoding, "headers") => Some(Map(Header)),
            (Response, "links") => Some(Map(Link)),
            (MediaType, "encoding") => Some(Map(Encoding)),
            (Schema, _) => schema_child(key),
            (Discriminator, "mapping") => Some(Map(MappingTarget)),
            _ => None,
        }
    }

    /// How diagnostics name an object of this kind.
    pub(crate) fn describe(self) -> &'static str {
        use Kind::*;
        match self {
            Document => "document",
            Paths => "paths object",
            PathItem => "path item",
            Operation => "operation",
            Callback => "callback",
            Responses => "responses object",
            Components => "components object",
            Parameter => "parameter",
            RequestBody => "request body",
            Response => "response",
            Header => "header",
            MediaType => "media type",
            Encoding => "encoding",
            Example => "example",
            Link => "link",
            SecurityScheme => "security scheme",
            Schema | MappingTarget => "schema",
            Discriminator => "discriminator",
        }
    }
}

/// The kind of each section of `components`.
fn component_section(key: &str) -> Option<Kind> {
    use Kind::*;
    let kind = match key {
        "schemas" => Schema,
        "responses" => Response,
        "parameters" => Parameter,
        "examples" => Example,
        "requestBodies" => RequestBody,
        "headers" => Header,
        "securitySchemes" => SecurityScheme,
        "links" => Link,
        "callbacks" => Callback,
        "pathItems" => PathItem,
        _ => return None,
    };
    Some(kind)
}

/// The subschemas of a schema (JSON Schema 2020-12 and the older spellings OpenAPI 3.0
/// documents use).
pub(crate) fn schema_child(key: &str) -> Option<Slot> {
    use Kind::Schema;
    match key {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            Some(Slot::Map(Schema))
        }
        "allOf" | "oneOf" | "anyOf" | "prefixItems" => Some(Slot::List(Schema)),
        "items"
        | "additionalItems"
        | "additionalProperties"
        | "not"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "contentSchema" => Some(Slot::One(Schema)),
        "discriminator" => Some(Slot::One(Kind::Discriminator)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Kind::*;
    use super::Slot::*;

    #[test]
    fn positions_know_their_kind() {
        let cases = [
            (Document, "paths", Some(One(Paths))),
            (Paths, "/pets", Some(One(PathItem))),
            (Paths, "x-internal", None),
            (PathItem, "get", Some(One(Operation))),
            (PathItem, "summary", None),
            (Operation, "parameters", Some(List(Parameter))),
            (Components, "parameters", Some(Map(Parameter))),
            (Responses, "200", Some(One(Response))),
            (Responses, "x-note", None),
            (Response, "headers", Some(Map(Header))),
            (MediaType, "schema", Some(One(Schema))),
            (MediaType, "itemSchema", Some(One(Schema))),
            (MediaType, "example", None),
            (Schema, "properties", Some(Map(Schema))),
            (Schema, "items", Some(One(Schema))),
            (Schema, "oneOf", Some(List(Schema))),
            (Schema, "default", None),
            (Schema, "enum", None),
            (Schema, "discriminator", Some(One(Discriminator))),
            (Discriminator, "mapping", Some(Map(MappingTarget))),
            (Example, "value", None),
        ];
        for (kind, key, want) in cases {
            assert_eq!(kind.child(key), want, "{kind:?} / {key}");
        }
    }
}
