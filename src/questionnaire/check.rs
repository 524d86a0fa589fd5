//! Checking a parsed questionnaire file and turning it into the model:
//! ids, languages and texts, scales and lists, pages and conditions, and
//! each question's type, options and role. Every problem is collected with
//! its place in the file, so that one `enkat check` reports every mistake.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::raw::{
    OptionValue, RawCondition, RawKind, RawOption, RawOptions, RawPage, RawQuestion, RawQuestionnaire, RawText,
};
use super::{
    Choice, Condition, DONT_KNOW, OTHER, Page, Question, QuestionKind, Questionnaire, Role, Scale, Test, Text, Version,
};
use crate::locale;

/// The longest free-text answer a question may allow, in characters.
const MAX_TEXT_LENGTH: i64 = 10_000;
const DEFAULT_TEXT_LENGTH: usize = 2_000;
const MAX_ID_LENGTH: usize = 64;
/// Small-group protection: the default, and the range an administrator may choose.
const DEFAULT_MIN_REPORT_N: u64 = 5;
const MIN_REPORT_N: std::ops::RangeInclusive<i64> = 3..=100;

/// Collects problems while turning the raw file into the model, so that one
/// run of `check` reports every mistake.
#[derive(Debug, Default)]
pub(super) struct Checker {
    languages: Vec<String>,
    problems: Vec<(Range<usize>, String)>,
}

impl Checker {
    fn problem(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push((span, message.into()));
    }

    /// Every problem found, where it is in the file, in the file's order.
    pub(super) fn problems_in_file_order(mut self) -> Vec<(Range<usize>, String)> {
        self.problems.sort_by_key(|(span, _)| span.start);
        self.problems
    }

    pub(super) fn questionnaire(&mut self, raw: RawQuestionnaire, source: &str) -> Questionnaire {
        self.id(&raw.id, "questionnaire id");
        if let Some(unit) = &raw.unit {
            self.id(unit, "unit");
        }
        self.languages(&raw.languages);

        let title = self.text(&raw.title, "title");
        let intro = raw.intro.as_ref().map(|text| self.text(text, "intro"));
        let thanks = raw.thanks.as_ref().map(|text| self.text(text, "thanks"));
        let help = raw.help.as_ref().map(|text| self.text(text, "help"));
        let reviewed = self.translations(&raw);

        let scales = self.scales(&raw);
        let lists = self.lists(&raw);
        let (questions, pages) = self.pages(&raw, &scales, &lists);
        let min_report_n = self.min_report_n(&raw);
        let (opens, closes) = self.open_dates(&raw);
        Questionnaire {
            unit: raw.unit.map_or_else(|| raw.id.as_ref().clone(), Spanned::into_inner),
            id: raw.id.into_inner(),
            version: Version::of(source),
            source: source.to_owned(),
            languages: self.languages.clone(),
            title,
            intro,
            thanks,
            help,
            reviewed,
            date_precision: raw.date_precision.map(Spanned::into_inner).unwrap_or_default(),
            report_period: raw.report_period.map(Spanned::into_inner).unwrap_or_default(),
            min_report_n,
            access: raw.access.map(Spanned::into_inner).unwrap_or_default(),
            opens,
            closes,
            kiosk: raw.kiosk,
            neutral_title: raw.neutral_title,
            publish_results: raw.publish_results,
            check_answers: raw.check_answers,
            questions,
            pages,
        }
    }

    /// The `[scales.*]`: their options, which of them count as positive,
    /// and their "don't know" answer.
    fn scales(&mut self, raw: &RawQuestionnaire) -> BTreeMap<String, Scale> {
        let mut scales = BTreeMap::new();
        for (id, scale) in &raw.scales {
            self.id(id, "scale id");
            let context = format!("scale `{}`", id.as_ref());
            let options = self.options(&scale.as_ref().options, &context, false);
            for reserved in [DONT_KNOW, OTHER] {
                if let Some(option) = options.iter().find(|option| option.id == reserved) {
                    let span = option_span(&scale.as_ref().options, &option.id);
                    self.problem(span, format!(
                        "`{reserved}` is a reserved option id in scales; use `dont_know = {{ ... }}` on the scale for a \"don't know\" answer, or choose another id"
                    ));
                }
            }
            let positive = &scale.as_ref().positive;
            if positive.as_ref().is_empty() {
                self.problem(positive.span(), format!(
                    "`positive` of {context} is empty: name the option ids that count as positive answers, e.g. the two most positive steps"
                ));
            }
            for id in positive.as_ref() {
                if !options.iter().any(|option| option.id == *id.as_ref()) {
                    self.problem(
                        id.span(),
                        format!(
                            "`positive` names `{}`, which is not an option of {context}; the options are {}",
                            id.as_ref(),
                            list_ids(&options)
                        ),
                    );
                }
            }
            let dont_know =
                scale.as_ref().dont_know.as_ref().map(|text| self.text(text, &format!("`dont_know` of {context}")));
            scales.insert(
                id.as_ref().clone(),
                Scale {
                    id: id.as_ref().clone(),
                    options,
                    positive: positive.as_ref().iter().map(|id| id.as_ref().clone()).collect(),
                    dont_know,
                },
            );
        }
        scales
    }

    /// The `[lists.*]` of options that questions share.
    fn lists(&mut self, raw: &RawQuestionnaire) -> BTreeMap<String, Vec<Choice>> {
        let mut lists = BTreeMap::new();
        for (id, list) in &raw.lists {
            self.id(id, "list id");
            let options = self.options(&list.as_ref().options, &format!("list `{}`", id.as_ref()), false);
            lists.insert(id.as_ref().clone(), options);
        }
        lists
    }

    /// The `[translations]` markers: only for the questionnaire's translated
    /// languages (not the original, the first), each with a plain date.
    fn translations(&mut self, raw: &RawQuestionnaire) -> BTreeMap<String, time::Date> {
        let mut reviewed = BTreeMap::new();
        for (language, translation) in &raw.translations {
            let code = language.as_ref();
            if self.languages.first() == Some(code) {
                self.problem(
                    language.span(),
                    format!(
                        "`{code}` is the original language (the first in `languages`), not a translation: remove it from [translations]"
                    ),
                );
            } else if !self.languages.contains(code) {
                self.problem(
                    language.span(),
                    format!(
                        "[translations] names `{code}`, which is not in `languages` ({}): remove it, or add the language",
                        self.languages.join(", ")
                    ),
                );
            } else if let Some(date) = self.date(&translation.as_ref().reviewed, "reviewed") {
                reviewed.insert(code.clone(), date);
            }
        }
        reviewed
    }

    /// The smallest group a figure may come from.
    fn min_report_n(&mut self, raw: &RawQuestionnaire) -> u64 {
        match &raw.min_report_n {
            None => DEFAULT_MIN_REPORT_N,
            Some(n) if MIN_REPORT_N.contains(n.as_ref()) => *n.as_ref() as u64,
            Some(n) => {
                self.problem(
                    n.span(),
                    format!(
                        "`min_report_n` must be between {} and {}: fewer answers than that could single a person out",
                        MIN_REPORT_N.start(),
                        MIN_REPORT_N.end()
                    ),
                );
                DEFAULT_MIN_REPORT_N
            }
        }
    }

    /// `opens` and `closes`, which must be dates in that order.
    fn open_dates(&mut self, raw: &RawQuestionnaire) -> (Option<time::Date>, Option<time::Date>) {
        let opens = raw.opens.as_ref().and_then(|date| self.date(date, "opens"));
        let closes = raw.closes.as_ref().and_then(|date| self.date(date, "closes"));
        if let (Some(opens), Some(closes), Some(span)) = (opens, closes, raw.closes.as_ref().map(Spanned::span))
            && closes < opens
        {
            self.problem(
                span,
                format!("`closes` ({closes}) is before `opens` ({opens}): the survey would never be open"),
            );
        }
        (opens, closes)
    }

    /// A date written as a TOML date (`2026-12-01`, no quotes, no time).
    fn date(&mut self, value: &Spanned<toml::value::Datetime>, key: &str) -> Option<time::Date> {
        let written = value.as_ref();
        let date = match (written.date, written.time, written.offset) {
            (Some(date), None, None) => time::Month::try_from(date.month)
                .ok()
                .and_then(|month| time::Date::from_calendar_date(i32::from(date.year), month, date.day).ok()),
            _ => None,
        };
        if date.is_none() {
            self.problem(
                value.span(),
                format!("`{key}` must be a date only, without quotes or time, like {key} = 2026-12-01"),
            );
        }
        date
    }

    fn id(&mut self, id: &Spanned<String>, what: &str) {
        let value = id.as_ref();
        let valid = value.len() <= MAX_ID_LENGTH
            && value.starts_with(|c: char| c.is_ascii_lowercase())
            && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            self.problem(id.span(), format!(
                "the {what} `{value}` is not allowed: use only lowercase letters a-z, digits, `-` and `_`, start with a letter, at most {MAX_ID_LENGTH} characters"
            ));
        }
    }

    fn languages(&mut self, languages: &Spanned<Vec<Spanned<String>>>) {
        if languages.as_ref().is_empty() {
            self.problem(languages.span(), "`languages` is empty: list at least one, e.g. languages = [\"sv\"]");
        }
        for language in languages.as_ref() {
            let code = language.as_ref();
            if locale::find(code).is_none() {
                let known: Vec<&str> = locale::LOCALES.iter().map(|locale| locale.code.as_str()).collect();
                self.problem(
                    language.span(),
                    format!(
                        "enkat has no interface text in the language `{code}`; the languages it has are {}",
                        known.join(", ")
                    ),
                );
            } else if self.languages.iter().any(|seen| seen == code) {
                self.problem(language.span(), format!("the language `{code}` is listed twice"));
            } else {
                self.languages.push(code.clone());
            }
        }
    }

    fn text(&mut self, raw: &Spanned<RawText>, what: &str) -> Text {
        let mut texts = BTreeMap::new();
        for (language, text) in raw.as_ref() {
            if !self.languages.contains(language.as_ref()) {
                self.problem(
                    language.span(),
                    format!(
                        "{what} is written in `{}`, which is not in `languages` ({}): remove it, or add the language",
                        language.as_ref(),
                        self.languages.join(", ")
                    ),
                );
            } else if text.as_ref().trim().is_empty() {
                self.problem(text.span(), format!("{what} is empty in `{}`: write it", language.as_ref()));
            }
            texts.insert(language.as_ref().clone(), text.as_ref().clone());
        }
        for language in self.languages.clone() {
            if !texts.contains_key(&language) {
                self.problem(raw.span(), format!(
                    "{what} is not written in `{language}`: add {language} = \"...\" (every text needs all the questionnaire's languages)"
                ));
            }
        }
        Text(texts)
    }

    /// Reads a list of options; `in_multi` says whether `exclusive` is allowed.
    fn options(&mut self, raw: &RawOptions, context: &str, in_multi: bool) -> Vec<Choice> {
        if raw.as_ref().is_empty() {
            self.problem(raw.span(), format!("the options of {context} are empty: add at least one option"));
        }
        let mut choices: Vec<Choice> = Vec::new();
        for option in raw.as_ref() {
            if let Some(choice) = self.option(option, context, in_multi) {
                if choices.iter().any(|earlier| earlier.id == choice.id) {
                    self.problem(
                        option.span(),
                        format!("{context} has two options with the id `{}`: every option needs its own id", choice.id),
                    );
                }
                choices.push(choice);
            }
        }
        choices
    }

    fn option(&mut self, raw: &Spanned<RawOption>, context: &str, in_multi: bool) -> Option<Choice> {
        let mut id = None;
        let mut exclusive = false;
        let mut texts: RawText = BTreeMap::new();
        for (key, value) in raw.as_ref() {
            match (key.as_ref().as_str(), value.as_ref()) {
                ("id", OptionValue::Text(text)) => {
                    let spanned = Spanned::new(value.span(), text.clone());
                    self.id(&spanned, "option id");
                    id = Some(text.clone());
                }
                ("exclusive", OptionValue::Flag(flag)) => {
                    if *flag && !in_multi {
                        self.problem(key.span(), format!(
                            "`exclusive` only makes sense in a question of type \"multi\", where it stops this option being combined with others; remove it from {context}"
                        ));
                    }
                    exclusive = *flag;
                }
                ("id" | "exclusive", _) => {
                    let expected = if key.as_ref() == "id" { "a text like \"very\"" } else { "true or false" };
                    self.problem(value.span(), format!("`{}` should be {expected}", key.as_ref()));
                }
                (_, OptionValue::Text(text)) => {
                    texts.insert(key.clone(), Spanned::new(value.span(), text.clone()));
                }
                (_, OptionValue::Flag(_)) => {
                    self.problem(key.span(), format!(
                        "unknown key `{}` in an option of {context}: an option has `id`, `exclusive` and one text per language",
                        key.as_ref()
                    ));
                }
            }
        }
        let Some(id) = id else {
            self.problem(raw.span(), format!("an option of {context} has no `id`: add id = \"...\""));
            return None;
        };
        let text = self.text(&Spanned::new(raw.span(), texts), &format!("option `{id}` of {context}"));
        Some(Choice { id, text, exclusive })
    }

    /// The questions, in file order, and the pages they are on: the
    /// `[[page]]`s, or one page of top-level `[[question]]`s.
    fn pages(
        &mut self,
        raw: &RawQuestionnaire,
        scales: &BTreeMap<String, Scale>,
        lists: &BTreeMap<String, Vec<Choice>>,
    ) -> (Vec<Question>, Vec<Page>) {
        if !raw.pages.is_empty()
            && let Some(stray) = raw.questions.first()
        {
            self.problem(stray.as_ref().id.span(), "this questionnaire is split into [[page]]s, so every question belongs to one: write this question as [[page.question]] under the page it is on");
        }
        let groups: Vec<PageOfQuestions> = if raw.pages.is_empty() {
            vec![(None, &raw.questions)]
        } else {
            raw.pages.iter().map(|page| (Some(page), page.as_ref().questions.as_slice())).collect()
        };
        if groups.iter().all(|(_, questions)| questions.is_empty()) && raw.pages.is_empty() {
            self.problem(0..0, "the questionnaire has no questions: add at least one [[question]]");
        }
        // Every id in the file, to tell a condition on a later question from one on a misspelt id.
        let all_ids: Vec<&str> = groups
            .iter()
            .flat_map(|(_, questions)| questions.iter().map(|q| q.as_ref().id.as_ref().as_str()))
            .collect();

        let mut questions: Vec<Question> = Vec::new();
        let mut pages = Vec::new();
        for (number, (raw_page, raw_questions)) in groups.into_iter().enumerate() {
            let number = number + 1;
            let start = questions.len();
            let title = raw_page.map(|page| self.text(&page.as_ref().title, &format!("the title of page {number}")));
            let condition = raw_page.and_then(|page| page.as_ref().show_if.as_ref()).and_then(|show_if| {
                self.condition(show_if, &questions, &all_ids, &format!("page {number}"), ConditionScope::EarlierPages)
            });
            if let Some(page) = raw_page
                && raw_questions.is_empty()
            {
                self.problem(
                    page.span(),
                    format!("page {number} has no questions: add [[page.question]]s under it, or remove the page"),
                );
            }
            for question in raw_questions {
                let span = question.as_ref().id.span();
                let mut built = self.question(question.as_ref(), scales, lists);
                if questions.iter().any(|earlier| earlier.id == built.id) {
                    self.problem(
                        span,
                        format!(
                            "there is already a question with the id `{}`: every question needs its own id",
                            built.id
                        ),
                    );
                }
                built.condition = question.as_ref().show_if.as_ref().and_then(|show_if| {
                    let whose = format!("question `{}`", built.id);
                    self.condition(show_if, &questions, &all_ids, &whose, ConditionScope::EarlierQuestions)
                });
                built.options_chosen_in = question.as_ref().options_chosen_in.as_ref().and_then(|source| {
                    self.options_chosen_in(source, question.as_ref(), &built, &questions[..start], &all_ids)
                });
                questions.push(built);
            }
            pages.push(Page { title, condition, questions: start..questions.len() });
        }
        (questions, pages)
    }

    /// Checks `options_chosen_in` against the questions on earlier pages
    /// (`earlier`): a "multi" question there, whose options include all of
    /// this question's. On the same page it cannot be: the options are
    /// built, without JavaScript, from the answers sent with an earlier page.
    fn options_chosen_in(
        &mut self,
        source: &Spanned<String>,
        raw: &RawQuestion,
        question: &Question,
        earlier: &[Question],
        all_ids: &[&str],
    ) -> Option<String> {
        let id = source.as_ref();
        let whose = format!("`options_chosen_in` of question `{}`", question.id);
        let Some(target) = earlier.iter().find(|earlier| earlier.id == *id) else {
            let message = if all_ids.contains(&id.as_str()) {
                format!(
                    "{whose} names `{id}`, which is not on an earlier page: the options are made from the answers sent with an earlier page, so put `{}` on a later page than `{id}`",
                    question.id
                )
            } else {
                let known: Vec<&str> = earlier.iter().map(|question| question.id.as_str()).collect();
                format!(
                    "{whose} names `{id}`, which is not a question of this questionnaire; the questions on earlier pages are {}",
                    if known.is_empty() { "(none: this is the first page)".to_owned() } else { known.join(", ") }
                )
            };
            self.problem(source.span(), message);
            return None;
        };
        if !matches!(target.kind, QuestionKind::Multi { .. }) {
            self.problem(
                source.span(),
                format!("{whose} names `{id}`, which is not a \"multi\" question: only several chosen options make a list to choose from again"),
            );
            return None;
        }
        if raw.other.as_ref().is_some_and(|other| *other.as_ref()) {
            let span = raw.other.as_ref().map_or(source.span(), Spanned::span);
            self.problem(span, format!("`other = true` does not go with {whose}: remove one of them"));
        }
        let theirs: Vec<String> = target.kind.choices().into_iter().map(|choice| choice.id).collect();
        let mut valid = true;
        for choice in question.kind.choices() {
            if !theirs.contains(&choice.id) {
                let span = raw.options.as_ref().map_or_else(
                    || raw.options_from.as_ref().map_or(source.span(), Spanned::span),
                    |own| option_span(own, &choice.id),
                );
                self.problem(
                    span,
                    format!(
                        "question `{}` has the option `{}`, which `{id}` does not have: with {whose} every option must be one of `{id}`'s ({})",
                        question.id,
                        choice.id,
                        theirs.join(", ")
                    ),
                );
                valid = false;
            }
        }
        valid.then(|| id.clone())
    }

    /// Checks a `show_if` against the questions before it (`earlier`).
    fn condition(
        &mut self,
        raw: &Spanned<RawCondition>,
        earlier: &[Question],
        all_ids: &[&str],
        whose: &str,
        scope: ConditionScope,
    ) -> Option<Condition> {
        let condition = raw.as_ref();
        let id = condition.question.as_ref();
        let looks_back = match scope {
            ConditionScope::EarlierQuestions => "a question's condition can only name a question before it",
            ConditionScope::EarlierPages => "a page's condition can only name a question on an earlier page",
        };
        let Some(target) = earlier.iter().find(|question| question.id == *id) else {
            let message = if all_ids.contains(&id.as_str()) {
                format!(
                    "the condition of {whose} names `{id}`, which is not before it: {looks_back}, which the person has already answered"
                )
            } else {
                let known: Vec<&str> = earlier.iter().map(|question| question.id.as_str()).collect();
                format!(
                    "the condition of {whose} names `{id}`, which is not a question of this questionnaire; the questions it can name are {}",
                    if known.is_empty() { "(none: nothing comes before it)".to_owned() } else { known.join(", ") }
                )
            };
            self.problem(condition.question.span(), message);
            return None;
        };
        let tests = [condition.any_of.is_some(), condition.none_of.is_some(), condition.answered.is_some()];
        match tests.iter().filter(|given| **given).count() {
            0 => {
                self.problem(raw.span(), format!(
                    "the condition of {whose} says what to look at but not what to test: add any_of = [...], none_of = [...] or answered = true"
                ));
                return None;
            }
            1 => {}
            _ => {
                self.problem(
                    raw.span(),
                    format!("the condition of {whose} uses more than one of any_of, none_of and answered: keep one"),
                );
                return None;
            }
        }
        if let Some(answered) = &condition.answered {
            return Some(Condition { question: id.clone(), test: Test::Answered(*answered.as_ref()) });
        }
        let (key, options) = match (&condition.any_of, &condition.none_of) {
            (Some(options), _) => ("any_of", options),
            (_, Some(options)) => ("none_of", options),
            _ => unreachable!("exactly one test is given, and it is not `answered`"),
        };
        let mut choices: Vec<String> = target.kind.choices().into_iter().map(|choice| choice.id).collect();
        if target.kind.has_other() {
            choices.push(OTHER.to_owned());
        }
        if choices.is_empty() {
            self.problem(options.span(), format!(
                "the condition of {whose} uses `{key}`, but `{id}` is a free-text question without options: use answered = true or answered = false"
            ));
            return None;
        }
        if options.as_ref().is_empty() {
            self.problem(
                options.span(),
                format!("`{key}` in the condition of {whose} is empty: name at least one option of `{id}`"),
            );
            return None;
        }
        let mut valid = true;
        for option in options.as_ref() {
            if !choices.contains(option.as_ref()) {
                self.problem(
                    option.span(),
                    format!(
                        "the condition of {whose} names the option `{}`, which `{id}` does not have; its options are {}",
                        option.as_ref(),
                        choices.join(", ")
                    ),
                );
                valid = false;
            }
        }
        let options: Vec<String> = options.as_ref().iter().map(|option| option.as_ref().clone()).collect();
        valid.then(|| Condition {
            question: id.clone(),
            test: if key == "any_of" { Test::AnyOf(options) } else { Test::NoneOf(options) },
        })
    }

    fn question(
        &mut self,
        raw: &RawQuestion,
        scales: &BTreeMap<String, Scale>,
        lists: &BTreeMap<String, Vec<Choice>>,
    ) -> Question {
        let id = raw.id.as_ref().clone();
        self.id(&raw.id, "question id");
        let context = format!("question `{id}`");
        let kind = *raw.kind.as_ref();
        let text = self.text(&raw.text, &format!("the text of {context}"));
        let hint = raw.hint.as_ref().map(|hint| self.text(hint, &format!("the hint of {context}")));
        let section = raw.section.as_ref().map(|section| self.text(section, &format!("the section of {context}")));
        self.keys_of_other_types(raw, &context);
        let built_kind = match kind {
            RawKind::Scale => QuestionKind::Scale(self.scale_of(raw, scales, &context)),
            RawKind::Single | RawKind::Multi => self.choices_of(raw, lists, &context),
            RawKind::Text => QuestionKind::Text { max_length: self.max_length(raw) },
        };
        self.role_and_area(raw, &context);
        let role = raw.role.as_ref().map(|role| *role.as_ref());
        let area = raw.area.as_ref().map(|area| *area.as_ref());
        // The condition is read by `pages`, which knows the questions before this one.
        Question {
            id,
            text,
            hint,
            section,
            required: raw.required,
            role,
            area,
            condition: None,
            options_chosen_in: None,
            kind: built_kind,
        }
    }

    /// Keys that belong to another type of question than this one's.
    fn keys_of_other_types(&mut self, raw: &RawQuestion, context: &str) {
        let kind = *raw.kind.as_ref();
        let type_name = type_name(kind);
        let not_for_type = |checker: &mut Checker, key: &str, span: Option<Range<usize>>| {
            if let Some(span) = span {
                checker.problem(
                    span,
                    format!("`{key}` does not apply to {context}, which is of type \"{type_name}\": remove it"),
                );
            }
        };
        if kind != RawKind::Scale {
            not_for_type(self, "scale", raw.scale.as_ref().map(Spanned::span));
        }
        if !matches!(kind, RawKind::Single | RawKind::Multi) {
            not_for_type(self, "options", raw.options.as_ref().map(Spanned::span));
            not_for_type(self, "options_from", raw.options_from.as_ref().map(Spanned::span));
            not_for_type(self, "options_chosen_in", raw.options_chosen_in.as_ref().map(Spanned::span));
            not_for_type(self, "other", raw.other.as_ref().map(Spanned::span));
        }
        if kind != RawKind::Text {
            not_for_type(self, "max_length", raw.max_length.as_ref().map(Spanned::span));
        }
    }

    /// The scale a question of type "scale" names (an empty one if it names
    /// none that exists, after saying so).
    fn scale_of(&mut self, raw: &RawQuestion, scales: &BTreeMap<String, Scale>, context: &str) -> Scale {
        let scale = match &raw.scale {
            None => {
                self.problem(
                    raw.id.span(),
                    format!("{context} is of type \"scale\" but names no scale: add scale = \"...\""),
                );
                None
            }
            Some(name) => {
                let found = scales.get(name.as_ref()).cloned();
                if found.is_none() {
                    let known: Vec<&str> = scales.keys().map(String::as_str).collect();
                    self.problem(
                        name.span(),
                        format!(
                            "there is no scale `{}`: define it with [scales.{}], or use one of: {}",
                            name.as_ref(),
                            name.as_ref(),
                            if known.is_empty() { "(none defined)".to_owned() } else { known.join(", ") }
                        ),
                    );
                }
                found
            }
        };
        scale.unwrap_or_else(|| Scale { id: String::new(), options: Vec::new(), positive: Vec::new(), dont_know: None })
    }

    /// The options of a "single" or "multi" question: from a list, its own,
    /// or both, with at most one exclusive and `other` not clashing.
    fn choices_of(&mut self, raw: &RawQuestion, lists: &BTreeMap<String, Vec<Choice>>, context: &str) -> QuestionKind {
        let in_multi = *raw.kind.as_ref() == RawKind::Multi;
        let mut options = Vec::new();
        if let Some(list) = &raw.options_from {
            match lists.get(list.as_ref()) {
                Some(choices) => options.extend(choices.iter().cloned()),
                None => {
                    let known: Vec<&str> = lists.keys().map(String::as_str).collect();
                    self.problem(
                        list.span(),
                        format!(
                            "there is no list `{}`: define it with [lists.{}], or use one of: {}",
                            list.as_ref(),
                            list.as_ref(),
                            if known.is_empty() { "(none defined)".to_owned() } else { known.join(", ") }
                        ),
                    );
                }
            }
        }
        if let Some(own) = &raw.options {
            // Duplicates among the question's own options are reported by `options`.
            let from_list = options.len();
            for choice in self.options(own, context, in_multi) {
                if options[..from_list].iter().any(|earlier: &Choice| earlier.id == choice.id) {
                    self.problem(
                        option_span(own, &choice.id),
                        format!("{context} has two options with the id `{}`: every option needs its own id", choice.id),
                    );
                }
                options.push(choice);
            }
        } else if raw.options_from.is_none() {
            self.problem(
                raw.id.span(),
                format!("{context} has no options: add options = [ ... ], or options_from = \"a list\""),
            );
        }
        if options.iter().filter(|choice| choice.exclusive).count() > 1 {
            self.problem(raw.id.span(), format!("{context} has more than one exclusive option: keep at most one"));
        }
        let other = raw.other.as_ref().is_some_and(|other| *other.as_ref());
        if other && let Some(clash) = options.iter().find(|choice| choice.id == OTHER) {
            let span = raw.options.as_ref().map_or(raw.id.span(), |own| option_span(own, OTHER));
            self.problem(
                span,
                format!(
                    "{context} has `other = true` and also an option with the reserved id `{}`: rename that option",
                    clash.id
                ),
            );
        }
        if in_multi { QuestionKind::Multi { options, other } } else { QuestionKind::Single { options, other } }
    }

    /// The longest answer a "text" question takes.
    fn max_length(&mut self, raw: &RawQuestion) -> usize {
        match &raw.max_length {
            None => DEFAULT_TEXT_LENGTH,
            Some(max) if (1..=MAX_TEXT_LENGTH).contains(max.as_ref()) => *max.as_ref() as usize,
            Some(max) => {
                self.problem(max.span(), format!("`max_length` must be between 1 and {MAX_TEXT_LENGTH} characters"));
                DEFAULT_TEXT_LENGTH
            }
        }
    }

    /// A role fits the question's type, and only satisfaction questions have
    /// (and must have) an SKR area.
    fn role_and_area(&mut self, raw: &RawQuestion, context: &str) {
        let kind = *raw.kind.as_ref();
        let type_name = type_name(kind);
        let role = raw.role.as_ref().map(|role| *role.as_ref());
        if let Some(role_value) = &raw.role {
            let fits = match role_value.as_ref() {
                Role::Satisfaction => kind == RawKind::Scale,
                Role::UnmetSupport | Role::ReceivedSupport | Role::Background => {
                    matches!(kind, RawKind::Single | RawKind::Multi)
                }
            };
            if !fits {
                let needs = if *role_value.as_ref() == Role::Satisfaction {
                    "type \"scale\""
                } else {
                    "type \"single\" or \"multi\""
                };
                self.problem(
                    role_value.span(),
                    format!("this role needs a question of {needs}, but {context} is of type \"{type_name}\""),
                );
            }
        }
        match (&role, &raw.area) {
            (Some(Role::Satisfaction), None) => self.problem(raw.id.span(), format!(
                "{context} has role \"satisfaction\" but no `area`: add one of tillgänglighet, information, bemötande, delaktighet, förändring, helhet, trygghet"
            )),
            (Some(Role::Satisfaction), Some(_)) => {}
            (_, Some(area)) => self.problem(area.span(), format!(
                "`area` is only used for questions with role = \"satisfaction\": remove it from {context}"
            )),
            (_, None) => {}
        }
    }
}

/// A question type as written in the file.
fn type_name(kind: RawKind) -> &'static str {
    match kind {
        RawKind::Scale => "scale",
        RawKind::Single => "single",
        RawKind::Multi => "multi",
        RawKind::Text => "text",
    }
}

/// A `[[page]]` and its questions; `None` for the top-level questions of a
/// questionnaire without pages.
type PageOfQuestions<'a> = (Option<&'a Spanned<RawPage>>, &'a [Spanned<RawQuestion>]);

/// What a `show_if` may look back at.
#[derive(Debug, Clone, Copy)]
enum ConditionScope {
    /// A question's: any question before it, on its page or an earlier one.
    EarlierQuestions,
    /// A page's: questions on earlier pages.
    EarlierPages,
}

pub(super) fn option_span(options: &RawOptions, id: &str) -> Range<usize> {
    options
        .as_ref()
        .iter()
        .find(|option| {
            option.as_ref().iter().any(|(key, value)| {
                key.as_ref() == "id" && matches!(value.as_ref(), OptionValue::Text(text) if text == id)
            })
        })
        .map_or(options.span(), Spanned::span)
}

fn list_ids(options: &[Choice]) -> String {
    options.iter().map(|option| option.id.as_str()).collect::<Vec<_>>().join(", ")
}
