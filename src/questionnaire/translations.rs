//! Translations that do not silently go stale. The first language of a
//! questionnaire is its original; every other language is a translation of
//! it. When the original of a text changes and a translation of that text
//! does not, the translation may no longer say the same thing: it is
//! *stale* until it is changed too, or a translator has checked it.
//!
//! The rule looks at every stored version, in the order they were first
//! served, and the file as it is now. A translated text is stale when the
//! original now differs from the original in the last version where the
//! translation was written (changed, or first appeared), or where the
//! language's `reviewed` marker was last written, whichever is later. The
//! marker is tied to a version, not to a day on the calendar: writing it
//! covers the original as it is in that file, and a later change to the
//! original makes the translation stale again. Pure: the caller reads the
//! stored versions.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use time::Date;

use super::Questionnaire;
use super::load::{Problem, at};
use super::raw::{OptionValue, RawOption, RawOptions, RawQuestion, RawQuestionnaire, RawText};

/// One translated text of a questionnaire, named by where it is written.
/// A text shared through a scale or list is one item, at the scale or list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    Title,
    Intro,
    Thanks,
    Help,
    /// A page has no id of its own: it is named by its first question.
    PageTitle {
        first_question: String,
    },
    QuestionText {
        question: String,
    },
    QuestionHint {
        question: String,
    },
    QuestionSection {
        question: String,
    },
    QuestionOption {
        question: String,
        option: String,
    },
    ScaleOption {
        scale: String,
        option: String,
    },
    ScaleDontKnow {
        scale: String,
    },
    ListOption {
        list: String,
        option: String,
    },
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Title => write!(f, "the title"),
            Item::Intro => write!(f, "the intro"),
            Item::Thanks => write!(f, "the thanks"),
            Item::Help => write!(f, "the help"),
            Item::PageTitle { first_question } => {
                write!(f, "the title of the page starting with question `{first_question}`")
            }
            Item::QuestionText { question } => write!(f, "the text of question `{question}`"),
            Item::QuestionHint { question } => write!(f, "the hint of question `{question}`"),
            Item::QuestionSection { question } => write!(f, "the section of question `{question}`"),
            Item::QuestionOption { question, option } => write!(f, "option `{option}` of question `{question}`"),
            Item::ScaleOption { scale, option } => write!(f, "option `{option}` of scale `{scale}`"),
            Item::ScaleDontKnow { scale } => write!(f, "`dont_know` of scale `{scale}`"),
            Item::ListOption { list, option } => write!(f, "option `{option}` of list `{list}`"),
        }
    }
}

/// A stored version as the rule reads it: the questionnaire and the day it
/// was first served.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    pub questionnaire: &'a Questionnaire,
    pub first_seen: Date,
}

/// Where the original changed without the translation following.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// In a stored version.
    Version { version: String, first_seen: Date },
    /// In the file as it is now, not stored yet.
    ThisFile,
}

/// A translated text whose original changed after it was last written or
/// reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub item: Item,
    /// The translation's language.
    pub language: String,
    /// The original's language (the questionnaire's first).
    pub original: String,
    /// Where the translation's text is in the current file.
    pub span: Range<usize>,
    /// The original as it was when the translation was last written or reviewed.
    pub original_before: String,
    /// The original now.
    pub original_now: String,
    /// The first version whose original differs from `original_before`.
    pub since: Since,
}

impl Stale {
    /// The warning `enkat check --against` prints: at the translation's text
    /// in `file`, whose text is `source`.
    pub fn warning(&self, file: &Path, source: &str) -> Problem {
        let since = match &self.since {
            Since::Version { version, first_seen } => format!("in version {version} (first seen {first_seen})"),
            Since::ThisFile => "in this file".to_owned(),
        };
        let language = &self.language;
        let message = format!(
            "warning: the `{language}` translation of {} may be out of date: the `{}` text changed from {} to {} {since}, and the `{language}` text did not; update it, or, if a translator finds it still right, write the day of that check in [translations] as {language} = {{ reviewed = YYYY-MM-DD }}",
            self.item,
            self.original,
            brief(&self.original_before),
            brief(&self.original_now),
        );
        at(file, source, self.span.clone(), message)
    }
}

/// A text in quotes, on one line and cut short, for a one-line message.
fn brief(text: &str) -> String {
    const LONGEST: usize = 40;
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= LONGEST {
        format!("\"{one_line}\"")
    } else {
        format!("\"{}…\"", one_line.chars().take(LONGEST).collect::<String>().trim_end())
    }
}

/// Every stale translated text of `current`, in file order (then by
/// language), given its stored versions in the order they were first served.
/// A stored version that is `current` itself is counted where `current`
/// stands, last: it is what is served now.
pub fn stale_translations(history: &[Stored<'_>], current: &Questionnaire) -> Vec<Stale> {
    let Some(original) = current.languages.first() else { return Vec::new() };
    let Some(now) = texts_of(current) else { return Vec::new() };
    // Every version, oldest first, the current file last; a stored text
    // that no longer reads is left out.
    let mut versions: Vec<Version> = history
        .iter()
        .filter(|stored| stored.questionnaire.version != current.version)
        .filter_map(|stored| {
            Some(Version {
                since: Since::Version {
                    version: stored.questionnaire.version.to_string(),
                    first_seen: stored.first_seen,
                },
                texts: texts_of(stored.questionnaire)?.into_iter().collect(),
                questionnaire: stored.questionnaire,
            })
        })
        .collect();
    let since = match history.iter().find(|stored| stored.questionnaire.version == current.version) {
        Some(stored) => Since::Version { version: current.version.to_string(), first_seen: stored.first_seen },
        None => Since::ThisFile,
    };
    versions.push(Version { since, texts: now.iter().cloned().collect(), questionnaire: current });

    let last = versions.len() - 1;
    let text_of = |at: usize, item: &Item, language: &str| {
        versions[at].texts.get(item).and_then(|texts| texts.get(language)).map(|(text, _)| text)
    };
    let mut found = Vec::new();
    for language in current.languages.iter().filter(|language| *language != original) {
        let reviewed = marker_written(&versions, language);
        for (item, texts) in &now {
            let Some((_, span)) = texts.get(language) else { continue };
            // The last version where the translation was written: changed,
            // or there for the first time since it (or its item) was absent.
            // From there to now the item is in every version.
            let written = (1..=last)
                .rev()
                .find(|&at| match (text_of(at - 1, item, language), text_of(at, item, language)) {
                    (Some(before), Some(after)) => before != after,
                    _ => true,
                })
                .unwrap_or(0);
            let checked = reviewed.map_or(written, |reviewed| reviewed.max(written));
            let (Some(before), Some(original_now)) = (text_of(checked, item, original), text_of(last, item, original))
            else {
                continue;
            };
            // Changed and changed back is not stale.
            if before == original_now {
                continue;
            }
            let Some(changed) =
                (checked + 1..=last).find(|&at| text_of(at, item, original) != text_of(at - 1, item, original))
            else {
                continue;
            };
            found.push(Stale {
                item: item.clone(),
                language: language.clone(),
                original: original.clone(),
                span: span.clone(),
                original_before: before.clone(),
                original_now: original_now.clone(),
                since: versions[changed].since.clone(),
            });
        }
    }
    found.sort_by_key(|stale| stale.span.start);
    found
}

/// One version as the rule reads it.
struct Version<'a> {
    since: Since,
    texts: BTreeMap<Item, Texts>,
    questionnaire: &'a Questionnaire,
}

/// The last version (an index into `versions`) where `language`'s
/// `reviewed` marker was written, if the last version has one.
fn marker_written(versions: &[Version<'_>], language: &str) -> Option<usize> {
    let marker = |at: usize| versions[at].questionnaire.reviewed.get(language);
    let last = versions.len().checked_sub(1)?;
    marker(last)?;
    Some((1..=last).rev().find(|&at| marker(at) != marker(at - 1)).unwrap_or(0))
}

/// A text in each language, with where each is written.
type Texts = BTreeMap<String, (String, Range<usize>)>;

/// Every translated text of a questionnaire, in file order, read from its
/// source so that each can be pointed at.
fn texts_of(questionnaire: &Questionnaire) -> Option<Vec<(Item, Texts)>> {
    let raw: RawQuestionnaire = toml::from_str(&questionnaire.source).ok()?;
    let mut texts = Vec::new();
    push(&mut texts, Item::Title, Some(raw.title.as_ref()));
    push(&mut texts, Item::Intro, raw.intro.as_ref().map(|intro| intro.as_ref()));
    push(&mut texts, Item::Thanks, raw.thanks.as_ref().map(|thanks| thanks.as_ref()));
    push(&mut texts, Item::Help, raw.help.as_ref().map(|help| help.as_ref()));
    for (scale, body) in &raw.scales {
        let scale = scale.as_ref();
        for (option, option_texts) in options(&body.as_ref().options) {
            push(&mut texts, Item::ScaleOption { scale: scale.clone(), option }, Some(&option_texts));
        }
        let dont_know = body.as_ref().dont_know.as_ref().map(|text| text.as_ref());
        push(&mut texts, Item::ScaleDontKnow { scale: scale.clone() }, dont_know);
    }
    for (list, body) in &raw.lists {
        for (option, option_texts) in options(&body.as_ref().options) {
            push(&mut texts, Item::ListOption { list: list.as_ref().clone(), option }, Some(&option_texts));
        }
    }
    for question in &raw.questions {
        question_texts(&mut texts, question.as_ref());
    }
    for page in &raw.pages {
        let page = page.as_ref();
        if let Some(first) = page.questions.first() {
            let first_question = first.as_ref().id.as_ref().clone();
            push(&mut texts, Item::PageTitle { first_question }, Some(page.title.as_ref()));
        }
        for question in &page.questions {
            question_texts(&mut texts, question.as_ref());
        }
    }
    texts.sort_by_key(|(_, texts)| texts.values().map(|(_, span)| span.start).min());
    Some(texts)
}

fn question_texts(texts: &mut Vec<(Item, Texts)>, raw: &RawQuestion) {
    let question = raw.id.as_ref();
    push(texts, Item::QuestionSection { question: question.clone() }, raw.section.as_ref().map(|text| text.as_ref()));
    push(texts, Item::QuestionText { question: question.clone() }, Some(raw.text.as_ref()));
    push(texts, Item::QuestionHint { question: question.clone() }, raw.hint.as_ref().map(|text| text.as_ref()));
    for (option, option_texts) in raw.options.as_ref().map(options).unwrap_or_default() {
        push(texts, Item::QuestionOption { question: question.clone(), option }, Some(&option_texts));
    }
}

fn push(texts: &mut Vec<(Item, Texts)>, item: Item, raw: Option<&RawText>) {
    if let Some(raw) = raw {
        let by_language =
            raw.iter().map(|(language, text)| (language.as_ref().clone(), (text.as_ref().clone(), text.span())));
        texts.push((item, by_language.collect()));
    }
}

/// Each option's id and its texts (every key but `id` and `exclusive`).
fn options(raw: &RawOptions) -> Vec<(String, RawText)> {
    raw.as_ref()
        .iter()
        .filter_map(|option| {
            let option: &RawOption = option.as_ref();
            let id = option.iter().find_map(|(key, value)| match value.as_ref() {
                OptionValue::Text(id) if key.as_ref() == "id" => Some(id.clone()),
                _ => None,
            })?;
            let texts = option
                .iter()
                .filter(|(key, _)| key.as_ref() != "id")
                .filter_map(|(key, value)| match value.as_ref() {
                    OptionValue::Text(text) => Some((key.clone(), toml::Spanned::new(value.span(), text.clone()))),
                    OptionValue::Flag(_) => None,
                })
                .collect();
            Some((id, texts))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use time::macros::date;

    use super::*;
    use crate::questionnaire::parse;

    /// Every kind of translated text once, in Swedish and English, each
    /// text written only once in the file so that one can be edited alone.
    const BASE: &str = r#"id = "t"
languages = ["sv", "en"]
title = { sv = "Titel", en = "Title" }
thanks = { sv = "Tack", en = "Thanks" }

[intro]
sv = "Inledning"
en = "Introduction"

[help]
sv = "Hjälp"
en = "Help"

[scales.yes2]
options = [ { id = "yes", sv = "Ja", en = "Yes" }, { id = "no", sv = "Nej", en = "No" } ]
positive = ["yes"]
dont_know = { sv = "Vet inte", en = "Don't know" }

[lists.things]
options = [ { id = "house", sv = "Hus", en = "House" } ]

[[page]]
title = { sv = "Sida", en = "Page" }

[[page.question]]
id = "good"
type = "scale"
scale = "yes2"
section = { sv = "Avsnitt", en = "Part" }
text = { sv = "Bra?", en = "Good?" }
hint = { sv = "Ledtråd", en = "Hint" }

[[page.question]]
id = "got"
type = "multi"
text = { sv = "Fick?", en = "Got?" }
options_from = "things"
options = [ { id = "car", sv = "Bil", en = "Car" } ]
"#;

    fn question(id: &str) -> String {
        id.to_owned()
    }

    /// Each kind of text: the item, its Swedish and its English as written.
    fn kinds() -> Vec<(Item, &'static str, &'static str)> {
        vec![
            (Item::Title, "Titel", "Title"),
            (Item::Intro, "Inledning", "Introduction"),
            (Item::Thanks, "Tack", "Thanks"),
            (Item::Help, "Hjälp", "Help"),
            (Item::PageTitle { first_question: question("good") }, "Sida", "Page"),
            (Item::QuestionText { question: question("good") }, "Bra?", "Good?"),
            (Item::QuestionHint { question: question("good") }, "Ledtråd", "Hint"),
            (Item::QuestionSection { question: question("good") }, "Avsnitt", "Part"),
            (Item::QuestionOption { question: question("got"), option: "car".into() }, "Bil", "Car"),
            (Item::ScaleOption { scale: "yes2".into(), option: "yes".into() }, "Ja", "Yes"),
            (Item::ScaleDontKnow { scale: "yes2".into() }, "Vet inte", "Don't know"),
            (Item::ListOption { list: "things".into(), option: "house".into() }, "Hus", "House"),
        ]
    }

    fn version(text: &str) -> Questionnaire {
        parse(Path::new("t.toml"), text).expect("the edited example is valid")
    }

    /// `text` with the quoted text `from` replaced by `to`.
    fn reworded(text: &str, from: &str, to: &str) -> String {
        let quoted = format!("\"{from}\"");
        assert_eq!(text.matches(&quoted).count(), 1, "{from} is written once");
        text.replace(&quoted, &format!("\"{to}\""))
    }

    /// `text` with a `reviewed` marker for English.
    fn reviewed(text: &str, day: &str) -> String {
        text.replace("[scales.yes2]", &format!("[translations]\nen = {{ reviewed = {day} }}\n\n[scales.yes2]"))
    }

    fn stale(history: &[(&Questionnaire, Date)], current: &Questionnaire) -> Vec<Stale> {
        let history: Vec<Stored> = history
            .iter()
            .map(|(questionnaire, first_seen)| Stored { questionnaire, first_seen: *first_seen })
            .collect();
        stale_translations(&history, current)
    }

    #[test]
    fn the_base_example_has_every_kind_of_text_once() {
        let items: Vec<Item> = texts_of(&version(BASE)).unwrap().into_iter().map(|(item, _)| item).collect();
        let mut expected: Vec<Item> = kinds().into_iter().map(|(item, _, _)| item).collect();
        expected.extend([
            Item::ScaleOption { scale: "yes2".into(), option: "no".into() },
            Item::QuestionText { question: question("got") },
        ]);
        assert_eq!(items.len(), expected.len(), "{items:?}");
        for item in expected {
            assert!(items.contains(&item), "{item} is read");
        }
    }

    #[test]
    fn a_swedish_change_alone_is_stale_at_the_translation() {
        let stored = version(BASE);
        for (item, swedish, english) in kinds() {
            let current = version(&reworded(BASE, swedish, "Nytt"));
            let found = stale(&[(&stored, date!(2026 - 03 - 02))], &current);
            assert_eq!(found.len(), 1, "{item}: {found:?}");
            let stale = &found[0];
            assert_eq!(stale.item, item);
            assert_eq!((stale.language.as_str(), stale.original.as_str()), ("en", "sv"), "{item}");
            assert_eq!(&current.source[stale.span.clone()], format!("\"{english}\""), "{item}: at the English text");
            assert_eq!((stale.original_before.as_str(), stale.original_now.as_str()), (swedish, "Nytt"), "{item}");
            assert_eq!(stale.since, Since::ThisFile, "{item}");
        }
    }

    #[test]
    fn a_change_in_both_languages_is_not_stale() {
        let stored = version(BASE);
        for (item, swedish, english) in kinds() {
            let current = version(&reworded(&reworded(BASE, swedish, "Nytt"), english, "New"));
            assert_eq!(stale(&[(&stored, date!(2026 - 03 - 02))], &current), [], "{item}");
        }
    }

    #[test]
    fn a_review_written_with_or_after_the_change_clears_it() {
        let stored = version(BASE);
        for (item, swedish, _) in kinds() {
            let changed = reworded(BASE, swedish, "Nytt");
            // Reviewed in the same edit as the change.
            let current = version(&reviewed(&changed, "2026-03-09"));
            assert_eq!(stale(&[(&stored, date!(2026 - 03 - 02))], &current), [], "{item}: reviewed with the change");
            // The change served first, reviewed in a later version.
            let served = version(&changed);
            let history = [(&stored, date!(2026 - 03 - 02)), (&served, date!(2026 - 03 - 09))];
            assert_eq!(stale(&history, &current), [], "{item}: reviewed after the change");
            // ... and that reviewed version stored and served.
            let history =
                [(&stored, date!(2026 - 03 - 02)), (&served, date!(2026 - 03 - 09)), (&current, date!(2026 - 03 - 10))];
            assert_eq!(stale(&history, &current), [], "{item}: the reviewed version served");
        }
    }

    #[test]
    fn a_review_written_before_the_change_does_not_clear_it() {
        let stored = version(&reviewed(BASE, "2026-03-01"));
        for (item, swedish, english) in kinds() {
            let current = version(&reworded(&reviewed(BASE, "2026-03-01"), swedish, "Nytt"));
            let found = stale(&[(&stored, date!(2026 - 03 - 02))], &current);
            assert_eq!(found.len(), 1, "{item}: {found:?}");
            assert_eq!(&current.source[found[0].span.clone()], format!("\"{english}\""), "{item}");
            assert_eq!(found[0].since, Since::ThisFile, "{item}");
            // Still stale once the changed file is stored and served.
            let history = [(&stored, date!(2026 - 03 - 02)), (&current, date!(2026 - 03 - 09))];
            let found = stale(&history, &current);
            assert_eq!(found.len(), 1, "{item}: {found:?}");
            assert_eq!(
                found[0].since,
                Since::Version { version: current.version.to_string(), first_seen: date!(2026 - 03 - 09) },
                "{item}"
            );
        }
    }

    #[test]
    fn a_stale_translation_stays_stale_in_later_versions_until_it_is_written() {
        let first = version(BASE);
        let swedish_changed = version(&reworded(BASE, "Bra?", "Var det bra?"));
        let unrelated = version(&reworded(&reworded(BASE, "Bra?", "Var det bra?"), "Tack", "Tack så mycket"));
        let history = [
            (&first, date!(2026 - 03 - 02)),
            (&swedish_changed, date!(2026 - 03 - 09)),
            (&unrelated, date!(2026 - 03 - 16)),
        ];
        let found = stale(&history, &unrelated);
        let items: Vec<String> = found.iter().map(|stale| stale.item.to_string()).collect();
        assert_eq!(items, ["the thanks", "the text of question `good`"]);
        assert_eq!(
            found[1].since,
            Since::Version { version: swedish_changed.version.to_string(), first_seen: date!(2026 - 03 - 09) },
            "stale since the version whose Swedish changed first"
        );
        assert_eq!((found[1].original_before.as_str(), found[1].original_now.as_str()), ("Bra?", "Var det bra?"));

        // The translation written in a later version: no longer stale.
        let translated = version(&reworded(&swedish_changed.source, "Good?", "Was it good?"));
        let history = [(&first, date!(2026 - 03 - 02)), (&swedish_changed, date!(2026 - 03 - 09))];
        assert_eq!(stale(&history, &translated), []);
    }

    #[test]
    fn a_swedish_text_changed_back_is_not_stale() {
        let first = version(BASE);
        let changed = version(&reworded(BASE, "Bra?", "Var det bra?"));
        let history = [(&first, date!(2026 - 03 - 02)), (&changed, date!(2026 - 03 - 09))];
        let back = version(&reworded(&reworded(BASE, "Tack", "Tack!"), "Thanks", "Thank you!"));
        assert_eq!(stale(&history, &back), [], "the English was written for this Swedish");
        // Put back as it was: against the version served last, its Swedish is new.
        assert_eq!(stale(&history, &first).len(), 1);
    }

    #[test]
    fn without_stored_versions_or_translations_nothing_is_stale() {
        assert_eq!(stale(&[], &version(BASE)), [], "a new questionnaire");
        let swedish_only = "id = \"s\"\nlanguages = [\"sv\"]\ntitle = { sv = \"T\" }\n\n[[question]]\nid = \"q\"\ntype = \"text\"\ntext = { sv = \"Q\" }\n";
        assert_eq!(
            stale(
                &[(&version(swedish_only), date!(2026 - 03 - 02))],
                &version(&swedish_only.replace("\"Q\"", "\"R\""))
            ),
            []
        );
    }

    #[test]
    fn a_text_or_language_added_later_is_written_then() {
        // The hint did not exist; added in both languages, then its Swedish changed.
        let without_hint = version(&BASE.replace("hint = { sv = \"Ledtråd\", en = \"Hint\" }\n", ""));
        let with_hint = version(BASE);
        let history = [(&without_hint, date!(2026 - 03 - 02))];
        assert_eq!(stale(&history, &with_hint), [], "a new text is written in every language");
        let history = [(&without_hint, date!(2026 - 03 - 02)), (&with_hint, date!(2026 - 03 - 09))];
        let found = stale(&history, &version(&reworded(BASE, "Ledtråd", "Tips")));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].item, Item::QuestionHint { question: question("good") });
    }

    #[test]
    fn each_language_is_judged_and_reviewed_on_its_own() {
        let three = |title: &str, reviewed: &str| {
            format!(
                "id = \"s\"\nlanguages = [\"sv\", \"en\", \"ar\"]\ntitle = {{ sv = \"{title}\", en = \"Title\", ar = \"العنوان\" }}\n{reviewed}\n[[question]]\nid = \"q\"\ntype = \"text\"\ntext = {{ sv = \"F\", en = \"Q\", ar = \"س\" }}\n"
            )
        };
        let stored = version(&three("Titel", ""));
        let current = version(&three("Ny titel", ""));
        let found = stale(&[(&stored, date!(2026 - 03 - 02))], &current);
        let languages: Vec<&str> = found.iter().map(|stale| stale.language.as_str()).collect();
        assert_eq!(languages, ["en", "ar"], "both translations of the title, in file order");
        assert!(current.unreviewed_translation("ar") && current.unreviewed_translation("en"));

        let english_reviewed = version(&three("Ny titel", "\n[translations]\nen = { reviewed = 2026-03-09 }\n"));
        let found = stale(&[(&stored, date!(2026 - 03 - 02))], &english_reviewed);
        let languages: Vec<&str> = found.iter().map(|stale| stale.language.as_str()).collect();
        assert_eq!(languages, ["ar"], "the English is reviewed, the Arabic is not");
        assert!(english_reviewed.unreviewed_translation("ar"));
        assert!(!english_reviewed.unreviewed_translation("en"));
        assert!(!english_reviewed.unreviewed_translation("sv"), "the original is no translation");
    }

    #[test]
    fn the_warning_points_at_the_translation_and_names_both_swedish_texts() {
        let stored = version(BASE);
        let current = version(&reworded(BASE, "Bra?", "Var stödet du fick från oss under hela tiden bra?"));
        let found = stale(&[(&stored, date!(2026 - 03 - 02))], &current);
        assert_eq!(
            found[0].warning(Path::new("t.toml"), &current.source).to_string(),
            "t.toml:30:73: warning: the `en` translation of the text of question `good` may be out of date: the `sv` text changed from \"Bra?\" to \"Var stödet du fick från oss under hela t…\" in this file, and the `en` text did not; update it, or, if a translator finds it still right, write the day of that check in [translations] as en = { reviewed = YYYY-MM-DD }"
        );
    }
}
