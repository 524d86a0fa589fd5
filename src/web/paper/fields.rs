//! The fields of a paper entry that are the staff member's, not the
//! respondent's: the form's language, the period a batch is dated in and,
//! for a coded questionnaire, the code printed on the form. Checked with
//! `validator` against what the page offered; the answers keep their own
//! domain validation (`questionnaire::validate_from`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use validator::{Validate, ValidateArgs, ValidationError};

use crate::codes::{Code, CodeError};
use crate::questionnaire::protocol::{CODE_FIELD, LANGUAGE_FIELD};
use crate::questionnaire::{Access, FormInput, Questionnaire};
use crate::report::period::Period;

/// The period a batch of forms is dated in; empty for today.
pub const PERIOD_FIELD: &str = "_period";

/// The longest code field read: a code with spaces and dashes is far shorter.
const CODE_MAX_CHARS: u64 = 40;

/// The staff member's fields as typed.
#[derive(Debug, Clone, Validate)]
#[validate(context = "Offered<'v_a>")]
pub struct EntryFields {
    #[validate(custom(function = "offered_language", use_context))]
    language: String,
    #[validate(custom(function = "offered_period", use_context))]
    period: String,
    #[validate(length(max = CODE_MAX_CHARS, message = "Koden är för lång."), custom(function = "code_shape", use_context))]
    code: String,
}

/// What the page offered, for the checks.
pub struct Offered<'a> {
    languages: &'a [String],
    periods: &'a [Period],
    coded: bool,
}

/// The staff member's fields, checked.
#[derive(Debug, Clone)]
pub struct Entry {
    /// One of the questionnaire's languages: the one the paper form was in.
    pub language: String,
    /// The stated period, or `None` for today.
    pub period: Option<Period>,
    /// The code on the form, for a coded questionnaire.
    pub code: Option<Code>,
}

impl EntryFields {
    /// The fields as sent with the form.
    pub fn of(input: &FormInput) -> EntryFields {
        EntryFields {
            language: input.value(LANGUAGE_FIELD).trim().to_owned(),
            period: input.value(PERIOD_FIELD).trim().to_owned(),
            code: input.value(CODE_FIELD).trim().to_owned(),
        }
    }

    /// The checked entry, or a message for each field that is wrong, by its
    /// name in the form.
    pub fn parse(
        self,
        questionnaire: &Questionnaire,
        periods: &[Period],
    ) -> Result<Entry, BTreeMap<&'static str, String>> {
        let coded = questionnaire.access == Access::Code;
        let offered = Offered { languages: &questionnaire.languages, periods, coded };
        if let Err(errors) = self.validate_with_args(&offered) {
            let fields = errors.field_errors();
            let message = |field: &str| {
                fields
                    .get(field)
                    .and_then(|errors| errors.first())
                    .and_then(|error| error.message.as_ref())
                    .map(ToString::to_string)
            };
            let named = [(LANGUAGE_FIELD, "language"), (PERIOD_FIELD, "period"), (CODE_FIELD, "code")];
            return Err(named
                .into_iter()
                .filter_map(|(name, field)| message(field).map(|message| (name, message)))
                .collect());
        }
        // Each read again is known to be right: validated just above.
        let period = periods.iter().copied().find(|period| period.to_string() == self.period);
        let code = (coded).then(|| Code::parse(&self.code).ok()).flatten();
        Ok(Entry { language: self.language, period, code })
    }
}

fn refused(message: &'static str) -> ValidationError {
    ValidationError::new("paper").with_message(Cow::Borrowed(message))
}

fn offered_language(language: &str, offered: &Offered) -> Result<(), ValidationError> {
    match offered.languages.iter().any(|known| known == language) {
        true => Ok(()),
        false => Err(refused("Välj det språk som formuläret var på.")),
    }
}

fn offered_period(period: &str, offered: &Offered) -> Result<(), ValidationError> {
    match period.is_empty() || offered.periods.iter().any(|known| known.to_string() == period) {
        true => Ok(()),
        false => Err(refused("Välj en av perioderna i listan, eller i dag.")),
    }
}

fn code_shape(code: &str, offered: &Offered) -> Result<(), ValidationError> {
    if !offered.coded {
        return Ok(());
    }
    if code.is_empty() {
        return Err(refused("Skriv koden som står på formuläret."));
    }
    match Code::parse(code) {
        Ok(_) => Ok(()),
        Err(CodeError::UnknownSymbol) => {
            Err(refused("Koden innehåller ett tecken som koder inte har (O, I, L, 0 och 1 används inte)."))
        }
        Err(CodeError::WrongLength) => Err(refused("Koden ska ha 10 tecken, till exempel ABCDE-FGHJK.")),
        Err(CodeError::Mistyped) => Err(refused("Koden är felskriven: kontrollera varje tecken.")),
    }
}
