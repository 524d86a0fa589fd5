//! A small questionnaire and hand-written tallies for the report tests.

use std::path::Path;

use time::macros::date;

use crate::questionnaire::{Answer, Questionnaire, parse};

use super::{AnswerCount, GroupCount, QuestionCount, ResponseRecord, Tally};

/// Like Nexus in miniature: satisfaction scales in three areas (two
/// questions in bemötande, two in förändring), received and unmet support
/// from one shared list, a single question with "something else", free
/// text and one background question. `min_report_n = 5`.
pub const SOURCE: &str = r#"
id = "t"
languages = ["sv", "en"]
min_report_n = 5
title = { sv = "Test", en = "Test" }

[scales.easy4]
options = [
  { id = "very_easy", sv = "Mycket lätt", en = "Very easy" },
  { id = "fairly_easy", sv = "Ganska lätt", en = "Fairly easy" },
  { id = "fairly_difficult", sv = "Ganska svårt", en = "Fairly difficult" },
  { id = "very_difficult", sv = "Mycket svårt", en = "Very difficult" },
]
positive = ["very_easy", "fairly_easy"]
dont_know = { sv = "Vet inte", en = "Don't know" }

[scales.always4]
options = [
  { id = "yes_always", sv = "Ja, alltid", en = "Yes, always" },
  { id = "yes_mostly", sv = "Ja, oftast", en = "Yes, mostly" },
  { id = "no_rarely", sv = "Nej, sällan", en = "No, rarely" },
  { id = "no_never", sv = "Nej, aldrig", en = "No, never" },
]
positive = ["yes_always", "yes_mostly"]
dont_know = { sv = "Vet inte", en = "Don't know" }

[scales.change5]
options = [
  { id = "much_better", sv = "Mycket bättre", en = "Much better" },
  { id = "somewhat_better", sv = "Något bättre", en = "Somewhat better" },
  { id = "neither", sv = "Varken bättre eller sämre", en = "Neither" },
  { id = "somewhat_worse", sv = "Något sämre", en = "Somewhat worse" },
  { id = "much_worse", sv = "Mycket sämre", en = "Much worse" },
]
positive = ["much_better", "somewhat_better"]
dont_know = { sv = "Kan inte bedöma", en = "Cannot judge" }

[scales.amount4]
options = [
  { id = "a_lot", sv = "Mycket", en = "A lot" },
  { id = "quite_a_lot", sv = "Ganska mycket", en = "Quite a lot" },
  { id = "quite_little", sv = "Ganska lite", en = "Quite little" },
  { id = "not_at_all", sv = "Inte alls", en = "Not at all" },
]
positive = ["a_lot", "quite_a_lot"]
dont_know = { sv = "Vet inte", en = "Don't know" }

[lists.practical]
options = [
  { id = "move", sv = "Hjälp med flytten", en = "Help with the move" },
  { id = "housing", sv = "Kontakt med hyresvärd", en = "Contact with a landlord" },
  { id = "school", sv = "Kontakt med skolan", en = "Contact with the school" },
]

[[question]]
id = "reach"
type = "scale"
scale = "easy4"
role = "satisfaction"
area = "tillgänglighet"
required = true
text = { sv = "Hur lätt var det att nå oss?", en = "How easy was it to reach us?" }

[[question]]
id = "respect"
type = "scale"
scale = "always4"
role = "satisfaction"
area = "bemötande"
text = { sv = "Blev du bemött med respekt?", en = "Were you treated with respect?" }

[[question]]
id = "listened"
type = "scale"
scale = "always4"
role = "satisfaction"
area = "bemötande"
text = { sv = "Lyssnade personalen på dig?", en = "Did the staff listen to you?" }

[[question]]
id = "improved"
type = "scale"
scale = "change5"
role = "satisfaction"
area = "förändring"
text = { sv = "Har din situation förändrats?", en = "Has your situation changed?" }

[[question]]
id = "received"
type = "multi"
role = "received_support"
text = { sv = "Vilket stöd fick du?", en = "Which support did you get?" }
options_from = "practical"
options = [ { id = "none", sv = "Inget", en = "None", exclusive = true } ]

[[question]]
id = "helped"
type = "scale"
scale = "amount4"
role = "satisfaction"
area = "förändring"
text = { sv = "Hur mycket hjälpte stödet?", en = "How much did the support help?" }

[[question]]
id = "missing"
type = "multi"
role = "unmet_support"
text = { sv = "Vilket stöd saknade du?", en = "Which support did you lack?" }
options_from = "practical"
options = [ { id = "none_missing", sv = "Inget saknades", en = "Nothing", exclusive = true } ]
other = true

[[question]]
id = "most_needed"
type = "single"
role = "unmet_support"
text = { sv = "Vad hade hjälpt mest?", en = "What would have helped most?" }
options_from = "practical"
other = true

[[question]]
id = "comment"
type = "text"
text = { sv = "Något mer?", en = "Anything else?" }

[[question]]
id = "age"
type = "single"
role = "background"
text = { sv = "Hur gammal är du?", en = "How old are you?" }
options = [
  { id = "young", sv = "18–29", en = "18–29" },
  { id = "middle", sv = "30–64", en = "30–64" },
  { id = "older", sv = "65 eller äldre", en = "65 or older" },
]
"#;

pub fn questionnaire() -> Questionnaire {
    parse(Path::new("t.toml"), SOURCE).expect("the test questionnaire is valid")
}

/// The fixture's questionnaire with another `min_report_n`.
pub fn questionnaire_with_min(min_report_n: u64) -> Questionnaire {
    Questionnaire { min_report_n, ..questionnaire() }
}

/// A tally that is not split: `answers` as (question, option, count),
/// `respondents` as (question, count).
pub fn tally(responses: u64, answers: &[(&str, &str, u64)], respondents: &[(&str, u64)]) -> Tally {
    let mut tally = Tally::default();
    add_group(&mut tally, None, responses, answers, respondents);
    tally
}

/// Adds one group's rows to a split tally.
pub fn add_group(
    tally: &mut Tally,
    group: Option<&str>,
    responses: u64,
    answers: &[(&str, &str, u64)],
    respondents: &[(&str, u64)],
) {
    let group = group.map(str::to_owned);
    tally.responses.push(GroupCount { group: group.clone(), count: responses });
    tally.answers.extend(answers.iter().map(|(question, option, count)| AnswerCount {
        group: group.clone(),
        question_id: (*question).to_owned(),
        option_id: Some((*option).to_owned()),
        count: *count,
    }));
    tally.respondents.extend(respondents.iter().map(|(question, count)| QuestionCount {
        group: group.clone(),
        question_id: (*question).to_owned(),
        count: *count,
    }));
}

/// Ten responses, counted by hand; every figure the tests expect is worked
/// out from these rows in the test that checks it.
pub fn ten_responses() -> Tally {
    tally(
        10,
        &[
            ("reach", "very_easy", 3),
            ("reach", "fairly_easy", 2),
            ("reach", "fairly_difficult", 1),
            ("reach", "dont_know", 2),
            ("respect", "yes_always", 4),
            ("respect", "yes_mostly", 3),
            ("respect", "no_rarely", 2),
            ("respect", "no_never", 1),
            ("listened", "yes_always", 2),
            ("listened", "yes_mostly", 1),
            ("listened", "no_rarely", 1),
            ("listened", "no_never", 1),
            ("listened", "dont_know", 5),
            ("improved", "much_better", 2),
            ("improved", "somewhat_better", 1),
            ("improved", "neither", 1),
            ("improved", "dont_know", 6),
            ("received", "move", 5),
            ("received", "housing", 3),
            ("received", "none", 2),
            ("helped", "a_lot", 2),
            ("helped", "quite_a_lot", 2),
            ("helped", "quite_little", 1),
            ("helped", "not_at_all", 1),
            ("missing", "move", 1),
            ("missing", "housing", 4),
            ("missing", "school", 2),
            ("missing", "none_missing", 1),
            ("missing", "other", 2),
            ("most_needed", "housing", 3),
            ("most_needed", "move", 1),
            ("most_needed", "other", 1),
            ("age", "young", 4),
            ("age", "middle", 5),
        ],
        &[("received", 8), ("missing", 7), ("most_needed", 5), ("comment", 3), ("age", 9)],
    )
}

/// One stored answer: an option, a text, or both.
pub fn answer(question: &str, option: Option<&str>, text: Option<&str>) -> Answer {
    Answer { question_id: question.to_owned(), option_id: option.map(str::to_owned), text: text.map(str::to_owned) }
}

/// A response given in Swedish to version `v1` in the week of 2026-11-23.
pub fn response(answers: Vec<Answer>) -> ResponseRecord {
    ResponseRecord {
        submitted_on: date!(2026 - 11 - 23),
        language: "sv".to_owned(),
        version: "v1".to_owned(),
        channel: crate::questionnaire::Channel::Web,
        answers,
    }
}

/// Asserts two shares or means are equal to well within any rounding shown.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "expected {expected}, got {actual}");
}
