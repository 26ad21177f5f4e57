// The runtime items that generated code names, by path from the root of
// `graph-odata-runtime`. Included twice: by `runtime_items.rs`, which makes each line a
// constant for the emitters, and by `tests/tests/runtime_items.rs`, which makes each line a
// `use` of the real runtime, so a renamed or moved item fails that test with the item's
// path, instead of failing every generated crate. Associated items (methods, associated
// functions) cannot be `use`d: they are named next to their type in the emitters and
// checked by compiling the generated fixture crates.
runtime_items! {
    // Modules that generated files import or re-export.
    EDM = edm;
    MODEL = model;

    // EDM primitive types (`edm::X` in generated files).
    DECIMAL = edm::Decimal;
    GUID = edm::Guid;
    DATE = edm::Date;
    TIME_OF_DAY = edm::TimeOfDay;
    DATE_TIME_OFFSET = edm::DateTimeOffset;
    DURATION = edm::Duration;
    BINARY = edm::Binary;
    STREAM = edm::Stream;
    UNTYPED = edm::Untyped;

    // Structured types: serialization, reading and field constants.
    FIELD = model::Field;
    OBJECT_SERIALIZER = model::ObjectSerializer;
    ODATA_OBJECT = model::ODataObject;
    DESERIALIZE_OBJECT = model::deserialize_object;
    READ_LENIENT = model::read_lenient;
    READ_NULLABLE = model::read_nullable;
    SET_NULL = model::set_null;
    ODATA_TYPE_OF = model::odata_type_of;

    // Enumeration types.
    EVOLVABLE_ENUM = enums::EvolvableEnum;
    SERIALIZE_EVOLVABLE = enums::serialize_evolvable;
    DESERIALIZE_EVOLVABLE = enums::deserialize_evolvable;
    FLAG_SET = enums::FlagSet;
    FLAGS_ENUM = enums::FlagsEnum;
    DEBUG_FLAGS = enums::debug_flags;
    FMT_FLAGS = enums::fmt_flags;
    PARSE_FLAGS = enums::parse_flags;
    SERIALIZE_FLAGS = enums::serialize_flags;
    DESERIALIZE_FLAGS = enums::deserialize_flags;

    // The client half (client crates re-export the runtime as `runtime`).
    CLIENT = Client;
    CLIENT_BUILDER = ClientBuilder;
    TOKEN_CREDENTIAL = TokenCredential;
    STATIC_TOKEN_CREDENTIAL = StaticTokenCredential;
    NATIONAL_CLOUD = NationalCloud;
    ERROR = Error;
    METHOD = Method;
    REQUEST = Request;
    PAGE = Page;
    MEDIA = Media;
    ENTITY_REFERENCE = EntityReference;
    ODATA_PATH = ODataPath;
    ODATA_LITERAL = ODataLiteral;
    TO_ODATA_LITERAL = ToODataLiteral;
}
