//! The JSON Schema (draft 2020-12) of the questionnaire file format, for
//! editors: derived from the types serde reads a file into (`raw`), never
//! written by hand. `docs/questionnaire.schema.json` is its output.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::transform_subschemas;
use serde_json::Value;

use super::raw::RawQuestionnaire;

/// The schema as pretty JSON, the way `enkat schema` prints it.
pub fn json_schema() -> String {
    // Every subschema written out where it is used, without `$ref`: taplo
    // (Even Better TOML) follows a `$ref` and ignores the keys beside it, so a
    // key's own description would give way to its type's.
    let generator = SchemaSettings::draft2020_12().with(|settings| settings.inline_subschemas = true).into_generator();
    let mut schema = generator.into_root_schema_for::<RawQuestionnaire>();
    drop_null(&mut schema);
    serde_json::to_string_pretty(&schema).expect("a schema is plain JSON")
}

/// TOML has no null: a setting is simply left out. schemars lets every
/// `Option` field be null too, which would only clutter what editors offer,
/// so that alternative is taken out again, here and in every subschema.
fn drop_null(schema: &mut Schema) {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|kind| kind != "null");
        if let [only] = types.as_mut_slice() {
            let only = only.take();
            schema.insert("type".to_owned(), only);
        }
    }
    if let Some(Value::Array(alternatives)) = schema.get_mut("anyOf") {
        alternatives.retain(|alternative| alternative.get("type").is_none_or(|kind| kind != "null"));
        if let [Value::Object(only)] = alternatives.as_mut_slice() {
            let only = std::mem::take(only);
            schema.remove("anyOf");
            let fields = schema.ensure_object();
            for (key, value) in only {
                fields.entry(key).or_insert(value);
            }
        }
    }
    transform_subschemas(&mut drop_null, schema);
}
