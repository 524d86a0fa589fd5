//! `enkat seed`: synthetic responses for trying out reports and exports at
//! scale, and for load tests. Every response is made the way a person's
//! form is: options picked, then checked by the questionnaire's own
//! `validate`, so conditions hold and only shown questions are answered.
//! Never run it against a database with real answers: the results would
//! mix with them and could not be told apart.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use time::{Date, Duration};

use super::{DatabaseArgs, QuestionnairesArgs, TimeZoneArgs, run_to_completion};
use crate::questionnaire::{self, FormInput, QuestionKind, Questionnaire, validate};
use crate::store::{QueuedResponse, Store};

/// Responses stored per transaction: large, so a million take minutes.
const PER_TRANSACTION: usize = 10_000;

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// The questionnaire's id, e.g. `nexus`.
    questionnaire: String,
    /// How many responses to store.
    #[arg(long)]
    responses: u64,
    /// Start the random choices from this number, for the same responses
    /// every time (dates still count back from today).
    #[arg(long)]
    seed: Option<u64>,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    questionnaires: QuestionnairesArgs,
    #[command(flatten)]
    time_zone: TimeZoneArgs,
}

/// Runs `enkat seed ...`.
pub fn run(args: SeedArgs) -> ExitCode {
    run_to_completion(seed(args))
}

async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    let questionnaire = &*args.questionnaires.questionnaire(&args.questionnaire)?;
    let today = args.time_zone.clock()?.today();
    let mut random = match args.seed {
        Some(seed) => Random::new(seed),
        None => Random::new(getrandom::u64().map_err(|error| anyhow!("no randomness to start from: {error}"))?),
    };
    let store = Store::connect(&args.database.database_url).await?;
    store.register_version(questionnaire, today).await?;

    let progress = ProgressBar::new(args.responses);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} responses, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut left = args.responses;
    while left > 0 {
        let count = usize::try_from(left).unwrap_or(usize::MAX).min(PER_TRANSACTION);
        let batch: Vec<QueuedResponse> =
            (0..count).map(|_| synthetic_response(questionnaire, today, &mut random)).collect();
        store.insert_responses(&batch).await?;
        progress.inc(count as u64);
        left -= count as u64;
    }
    progress.finish_and_clear();
    store.close().await;
    eprintln!("stored {} synthetic responses to {}", args.responses, questionnaire.id);
    Ok(())
}

/// Free texts as people write them, short and long, in each language.
const TEXTS: [(&str, &[&str]); 3] = [
    (
        "sv",
        &[
            "Bra bemötande.",
            "Jag hade behövt hjälp med boende tidigare.",
            "Svårt att nå er per telefon, men när jag väl fick kontakt var alla mycket hjälpsamma.",
            "Tack för att ni lyssnade.",
            "Mer information om vad som händer efter polisanmälan.",
        ],
    ),
    (
        "en",
        &[
            "Very kind staff.",
            "I needed help finding a lawyer.",
            "It took long to get an appointment, but the support itself was good.",
        ],
    ),
    ("ar", &["شكرًا على المساعدة.", "كنت بحاجة إلى مترجم في المواعيد.", "الدعم كان جيدًا لكن الانتظار كان طويلًا."]),
];

/// One response as a person might give it: the form fields they would
/// send, checked by `validate`, which drops what their answers hid.
pub fn synthetic_response(questionnaire: &Questionnaire, today: Date, random: &mut Random) -> QueuedResponse {
    let (language, fields) = synthetic_form(questionnaire, random);
    let input = FormInput::new(questionnaire, fields).expect("only the questionnaire's own questions are filled in");
    // A required question is always answered and every option is the
    // questionnaire's own, so the form passes; should it not, an empty
    // response is still a valid one to store.
    let answers = validate(questionnaire, &input).unwrap_or_default();
    let answered_on = today - Duration::days(random.below(365) as i64);
    QueuedResponse {
        questionnaire_id: questionnaire.id.clone(),
        version: questionnaire.version.as_str().to_owned(),
        language,
        channel: crate::questionnaire::Channel::Web,
        submitted_on: questionnaire.date_precision.coarsen(answered_on),
        answers,
        submission: None,
        code: None,
    }
}

/// The language and the answer fields of a form a person might send: a
/// realistic mix of satisfaction steps, some questions left blank, some free
/// text. Answers to questions a condition would hide may be among them, as
/// when a person changes an earlier answer: `validate` drops those.
pub fn synthetic_form(questionnaire: &Questionnaire, random: &mut Random) -> (String, Vec<(String, String)>) {
    // Most answer in Swedish; English and Arabic less often, where offered.
    let language = pick_weighted(random, &questionnaire.languages, |language| match language.as_str() {
        "sv" => 70,
        "en" => 15,
        "ar" => 15,
        _ => 10,
    })
    .clone();
    let mut fields = Vec::new();
    for question in &questionnaire.questions {
        // Some leave an optional question blank.
        if !question.required && random.chance(8) {
            continue;
        }
        match &question.kind {
            QuestionKind::Scale(scale) => {
                // Mostly positive, as in SKR's surveys; each step half as
                // often as the one before; "don't know" now and then.
                let choice = if scale.dont_know.is_some() && random.chance(6) {
                    questionnaire::DONT_KNOW.to_owned()
                } else {
                    let steps: Vec<usize> = (0..scale.options.len()).collect();
                    let step = pick_weighted(random, &steps, |step| 1 << (steps.len() - step));
                    scale.options[*step].id.clone()
                };
                fields.push((question.id.clone(), choice));
            }
            QuestionKind::Single { options, other } => {
                // Offered only among the options chosen in an earlier
                // question (`options_chosen_in`), as the form offers them.
                let offered: Vec<_> = match &question.options_chosen_in {
                    Some(source) => options
                        .iter()
                        .filter(|option| fields.iter().any(|(field, value)| field == source && *value == option.id))
                        .collect(),
                    None => options.iter().collect(),
                };
                if *other && random.chance(5) {
                    fields.push((FormInput::other_field(&question.id), pick_text(random, &language, 500)));
                } else if !offered.is_empty() {
                    let option = offered[random.below(offered.len())].id.clone();
                    fields.push((question.id.clone(), option));
                }
            }
            QuestionKind::Multi { options, other } => {
                let exclusive: Vec<_> = options.iter().filter(|option| option.exclusive).collect();
                if !exclusive.is_empty() && random.chance(20) {
                    fields.push((question.id.clone(), exclusive[random.below(exclusive.len())].id.clone()));
                    continue;
                }
                for option in options.iter().filter(|option| !option.exclusive) {
                    if random.chance(30) {
                        fields.push((question.id.clone(), option.id.clone()));
                    }
                }
                if *other && random.chance(5) {
                    fields.push((FormInput::other_field(&question.id), pick_text(random, &language, 500)));
                }
            }
            QuestionKind::Text { max_length } => {
                if random.chance(15) {
                    fields.push((question.id.clone(), pick_text(random, &language, *max_length)));
                }
            }
        }
    }
    (language, fields)
}

fn pick_text(random: &mut Random, language: &str, max_length: usize) -> String {
    let texts =
        TEXTS.iter().find(|(text_language, _)| *text_language == language).map_or(TEXTS[0].1, |(_, texts)| *texts);
    texts[random.below(texts.len())].chars().take(max_length).collect()
}

fn pick_weighted<'a, T>(random: &mut Random, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
    let total: u64 = items.iter().map(&weight).sum();
    let mut point = random.number() % total.max(1);
    for item in items {
        let item_weight = weight(item);
        if point < item_weight {
            return item;
        }
        point -= item_weight;
    }
    &items[0]
}

/// A small, fast pseudo-random generator (SplitMix64): synthetic answers
/// need variety, not secrecy.
#[derive(Debug, Clone)]
pub struct Random(u64);

impl Random {
    /// A generator starting from `seed`: the same seed, the same numbers.
    pub fn new(seed: u64) -> Random {
        Random(seed)
    }

    /// The next number, any of 2^64.
    pub fn number(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.number() % (bound.max(1) as u64)) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.number() % 100 < percent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every synthetic form is one the shipped questionnaire accepts, as
    /// the benchmarks that post them need: an invalid one would be refused
    /// (422), or seeded as an empty response.
    #[test]
    fn every_synthetic_form_of_the_shipped_questionnaire_is_accepted() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires");
        let catalog = questionnaire::load_dir(&folder).expect("the shipped questionnaires load");
        let nexus = catalog.get("nexus").expect("the Nexus questionnaire");
        let mut random = Random::new(8);
        for form in 0..2_000 {
            let (_, fields) = synthetic_form(nexus, &mut random);
            let input = FormInput::new(nexus, fields.clone()).expect("the questionnaire's own fields");
            let answers = validate(nexus, &input);
            assert!(answers.as_ref().is_ok_and(|answers| !answers.is_empty()), "form {form}: {fields:?}: {answers:?}");
        }
    }
}
