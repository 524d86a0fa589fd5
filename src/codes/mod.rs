//! One-time codes for questionnaires with `access = "code"`: their format,
//! how they are made, read back from a person's typing, and fingerprinted.
//!
//! A code is 9 random symbols and 1 check symbol from an alphabet without
//! look-alikes (no 0/O, 1/I/L), shown as `XXXXX-XXXXX`. Only a keyed MAC of
//! the canonical code is ever stored (`Code::fingerprint`, `key`).
//!
//! Why 9 random symbols (31^9 ≈ 2.6 × 10^13, about 45 bits) are enough:
//! someone guessing codes wins a response slot, never anyone's answers. While
//! 20 wrong codes a minute have arrived (or are being checked), the service
//! checks one code attempt every 2 s and turns every other away at once
//! (`web::codes::CodeGuard`): at most about 30 guesses a minute, 30 × 60 × 24 × 365 ≈ 1.6 × 10^7 a year. With at
//! most N live codes each guess hits with probability N / 2.6 × 10^13, so a
//! year of guessing hits with probability at most N × 6 × 10^-7: 0.06 % for
//! 1 000 live codes, 0.6 % for 10 000 (per service instance). Unused codes
//! of an ended survey should be revoked, which keeps N small.

pub mod admitted;
pub mod key;

use std::fmt;

use sha2::{Digest, Sha256};
use validator::Validate;

use crate::report::csv::text_cell;

pub use key::{KeyError, ServiceKey};

/// The symbols of a code: digits 2–9 and A–Z without I, L and O, so that
/// nothing on a card can be read as something else.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Random symbols in a code; the check symbol follows them.
const RANDOM_SYMBOLS: usize = 9;
/// Symbols in a code, check symbol included.
pub const CODE_LENGTH: usize = RANDOM_SYMBOLS + 1;
/// The largest byte below a multiple of 31 (8 × 31 = 248): bytes from 248
/// up are drawn again, so every symbol is equally likely.
const UNBIASED_BELOW: u8 = 248;

/// A well-formed code: the right symbols, the right length, a check symbol
/// that matches. Whether it is live is for the database to say.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Code([u8; CODE_LENGTH]);

/// Why typed text is not a code. Each is found before any database lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// A character that no code contains (such as O, I, L, 0 or 1).
    #[error("the code contains a character that codes do not use")]
    UnknownSymbol,
    /// Too few or too many symbols.
    #[error("a code has {CODE_LENGTH} characters")]
    WrongLength,
    /// The check symbol does not match: a symbol was mistyped or two swapped.
    #[error("the code is mistyped")]
    Mistyped,
}

/// The random source failed; no code was made.
#[derive(Debug, thiserror::Error)]
#[error("no randomness for a new code: {0}")]
pub struct NoRandomness(getrandom::Error);

fn symbol_value(symbol: u8) -> Option<usize> {
    ALPHABET.iter().position(|&known| known == symbol)
}

/// The check symbol's value for the 9 random symbols' values. Position i
/// (from 0) weighs i + 1 and the whole weighted sum must be 0 modulo 31.
/// As 31 is prime and the weights 1..=10 are distinct and non-zero, a
/// changed symbol changes the sum by weight × difference ≠ 0, and swapped
/// neighbours by (w_i − w_i+1) × difference ≠ 0: every such mistake is caught.
/// (Luhn mod N is not used: it misses swapping the alphabet's first and
/// last symbols, `2Z` ↔ `Z2`.)
fn check_value(values: &[usize]) -> usize {
    let sum: usize = values.iter().enumerate().map(|(at, value)| (at + 1) * value).sum();
    // The check symbol weighs 10; find c with sum + 10c ≡ 0 (mod 31).
    (0..ALPHABET.len()).find(|check| (sum + CODE_LENGTH * check).is_multiple_of(ALPHABET.len())).unwrap_or(0)
}

impl Code {
    /// A new random code, from the operating system's random source.
    pub fn generate() -> Result<Code, NoRandomness> {
        let mut values = [0_usize; RANDOM_SYMBOLS];
        let mut filled = 0;
        let mut bytes = [0_u8; 32];
        while filled < RANDOM_SYMBOLS {
            getrandom::fill(&mut bytes).map_err(NoRandomness)?;
            for &byte in bytes.iter().filter(|&&byte| byte < UNBIASED_BELOW) {
                if filled < RANDOM_SYMBOLS {
                    values[filled] = usize::from(byte) % ALPHABET.len();
                    filled += 1;
                }
            }
        }
        Ok(Code::from_values(&values))
    }

    fn from_values(values: &[usize; RANDOM_SYMBOLS]) -> Code {
        let mut symbols = [0_u8; CODE_LENGTH];
        for (symbol, &value) in symbols.iter_mut().zip(values) {
            *symbol = ALPHABET[value];
        }
        symbols[RANDOM_SYMBOLS] = ALPHABET[check_value(values)];
        Code(symbols)
    }

    /// Reads a code as a person typed it: any case, with or without spaces
    /// and dashes.
    pub fn parse(typed: &str) -> Result<Code, CodeError> {
        let mut symbols = Vec::with_capacity(CODE_LENGTH);
        for character in typed.chars().filter(|character| !matches!(character, ' ' | '-' | '\t')) {
            let upper = character.to_ascii_uppercase();
            let symbol = u8::try_from(upper).ok().filter(|&byte| symbol_value(byte).is_some());
            symbols.push(symbol.ok_or(CodeError::UnknownSymbol)?);
        }
        let symbols: [u8; CODE_LENGTH] = symbols.try_into().map_err(|_| CodeError::WrongLength)?;
        let values: Vec<usize> = symbols.iter().filter_map(|&symbol| symbol_value(symbol)).collect();
        if check_value(&values[..RANDOM_SYMBOLS]) != values[RANDOM_SYMBOLS] {
            return Err(CodeError::Mistyped);
        }
        Ok(Code(symbols))
    }

    /// The code without separator, as it is hashed: `ABCDE23456`.
    pub fn canonical(&self) -> &str {
        // Every symbol comes from the ASCII alphabet.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The code as printed and typed: `ABCDE-23456`.
    pub fn display(&self) -> String {
        let canonical = self.canonical();
        format!("{}-{}", &canonical[..5], &canonical[5..])
    }

    /// What the database keeps of a code: HMAC-SHA-256 under the service
    /// key (kept outside the database) of the canonical code's hex SHA-256.
    /// A copy of the database without the key cannot be searched for codes;
    /// the inner SHA-256 is what codes were stored as before keys, so those
    /// are rekeyed in place (`Store::adopt_key`).
    pub fn fingerprint(&self, key: &ServiceKey) -> String {
        key.fingerprint_of_digest(&self.digest())
    }

    /// The hex SHA-256 of the canonical code: never stored on its own.
    fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.canonical().as_bytes()))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// Never the code itself in a debug print (which could end in a log).
impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(…)")
    }
}

/// The most codes one batch may have: one printing of cards.
pub const MAX_BATCH_SIZE: u32 = 1000;
/// The longest label of a batch, in characters.
pub const MAX_LABEL_LENGTH: u64 = 100;
/// A batch has at least this many times the questionnaire's `min_report_n`
/// codes: it goes to a group, never to one person, and even if only one
/// card in four is used its uses reach `min_report_n`.
const BATCH_PER_REPORT_N: u64 = 4;

/// The fewest codes a batch of a questionnaire with this `min_report_n` may
/// have (20 for the default 5).
pub fn smallest_batch(min_report_n: u64) -> u32 {
    u32::try_from(BATCH_PER_REPORT_N.saturating_mul(min_report_n)).unwrap_or(u32::MAX)
}

/// What a staff member asked for when creating a batch, checked.
#[derive(Debug, Clone, PartialEq, Eq, Validate)]
pub struct BatchRequest {
    /// How many codes: `smallest_batch` to `MAX_BATCH_SIZE`.
    #[validate(range(min = 1, max = "MAX_BATCH_SIZE"))]
    pub size: u32,
    /// What the batch is for, e.g. "Mottagningen, december": 1 to 100
    /// characters, trimmed. Never a person's name.
    #[validate(length(min = 1, max = "MAX_LABEL_LENGTH"), non_control_character)]
    pub label: String,
}

/// Why a batch cannot be created as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// Not a whole number from 1 to `MAX_BATCH_SIZE`.
    #[error("the number of codes must be a whole number from {least} to {MAX_BATCH_SIZE}")]
    Size { least: u32 },
    #[error("the label must be 1 to {MAX_LABEL_LENGTH} characters, without line breaks")]
    Label,
    /// Fewer than `smallest_batch` codes.
    #[error(
        "a batch needs at least {least} codes (4 × the questionnaire's min_report_n): \
         a smaller one could be handed to one person, and its use would tell that they answered"
    )]
    TooFew { least: u32 },
}

/// Everything wrong with a batch as asked, in the order of the form's fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct BatchRefused(pub Vec<BatchError>);

impl BatchRequest {
    /// Checks a batch's size and label as typed, for a questionnaire with
    /// this `min_report_n`.
    pub fn parse(size: &str, label: &str, min_report_n: u64) -> Result<BatchRequest, BatchRefused> {
        let least = smallest_batch(min_report_n);
        // Text that is no number becomes 0, which the range refuses alike.
        let request = BatchRequest { size: size.trim().parse().unwrap_or(0), label: label.trim().to_owned() };
        let mut problems = Vec::new();
        if let Err(errors) = request.validate() {
            let fields = errors.field_errors();
            if fields.contains_key("size") {
                problems.push(BatchError::Size { least });
            }
            if fields.contains_key("label") {
                problems.push(BatchError::Label);
            }
        }
        // Depends on the questionnaire, so after the typed checks.
        if !problems.contains(&BatchError::Size { least }) && request.size < least {
            problems.insert(0, BatchError::TooFew { least });
        }
        if problems.is_empty() { Ok(request) } else { Err(BatchRefused(problems)) }
    }

    /// A fresh set of distinct codes of this size.
    pub fn generate(&self) -> Result<Vec<Code>, NoRandomness> {
        let mut codes = Vec::with_capacity(self.size as usize);
        let mut seen = std::collections::HashSet::new();
        while codes.len() < self.size as usize {
            let code = Code::generate()?;
            // Collisions are astronomically rare, but a batch must never
            // count one code twice.
            if seen.insert(code.clone()) {
                codes.push(code);
            }
        }
        Ok(codes)
    }
}

/// The link a card's QR code holds: the questionnaire at `public_url`, with
/// the code, e.g. `https://enkat.uppsala.se/s/nexus?kod=K7Q4M-ZX9AB`.
pub fn card_url(public_url: &str, questionnaire_id: &str, code: &Code) -> String {
    format!("{}/s/{questionnaire_id}?kod={}", public_url.trim_end_matches('/'), code.display())
}

/// Writes codes as CSV with the columns `code,url` (for SMS or a mail
/// merge). A cell a spreadsheet would run as a formula gets a leading
/// apostrophe (`report::csv::text_cell`); codes never do, a strange public
/// URL might.
pub fn write_csv<W: std::io::Write>(
    public_url: &str,
    questionnaire_id: &str,
    codes: &[Code],
    out: W,
) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["code", "url"])?;
    for code in codes {
        writer.write_record([text_cell(&code.display()), text_cell(&card_url(public_url, questionnaire_id, code))])?;
    }
    writer.flush()?;
    Ok(())
}

/// Why a code did not open the form, for the page that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    /// None was given (a start page, or a form sent without its code).
    Missing,
    /// Not a code at all: see `CodeError`.
    Malformed(CodeError),
    /// Well-formed, but no live code of this questionnaire.
    UsedOrUnknown,
    /// Not checked: the brake on wrong codes holds this attempt back.
    Busy,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Code {
        let values = [5, 18, 22, 2, 19, 30, 28, 7, 8];
        Code::from_values(&values)
    }

    #[test]
    fn a_generated_code_has_ten_symbols_of_the_alphabet_and_reads_back() {
        for _ in 0..1000 {
            let code = Code::generate().unwrap();
            assert_eq!(code.canonical().len(), CODE_LENGTH);
            assert!(code.canonical().bytes().all(|symbol| ALPHABET.contains(&symbol)), "{}", code.canonical());
            assert_eq!(Code::parse(&code.display()), Ok(code.clone()));
        }
    }

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        assert_eq!(ALPHABET.len(), 31);
        for look_alike in [b'0', b'1', b'I', b'L', b'O'] {
            assert!(!ALPHABET.contains(&look_alike), "{}", look_alike as char);
        }
    }

    #[test]
    fn every_single_mistyped_symbol_is_caught() {
        let code = sample();
        for at in 0..CODE_LENGTH {
            for &other in ALPHABET.iter().filter(|&&other| other != code.0[at]) {
                let mut typed = code.0;
                typed[at] = other;
                let typed = String::from_utf8(typed.to_vec()).unwrap();
                assert_eq!(Code::parse(&typed), Err(CodeError::Mistyped), "{typed}");
            }
        }
    }

    #[test]
    fn every_swap_of_neighbours_is_caught_for_every_pair_of_symbols() {
        // Every pair of distinct symbols, swapped at every position: the
        // weakness of Luhn mod N (`2Z` ↔ `Z2`) included.
        for &a in ALPHABET {
            for &b in ALPHABET.iter().filter(|&&b| b != a) {
                for at in 0..RANDOM_SYMBOLS - 1 {
                    let mut values = [0_usize; RANDOM_SYMBOLS];
                    values[at] = symbol_value(a).unwrap();
                    values[at + 1] = symbol_value(b).unwrap();
                    let code = Code::from_values(&values);
                    let mut swapped = code.0;
                    swapped.swap(at, at + 1);
                    let swapped = String::from_utf8(swapped.to_vec()).unwrap();
                    assert_eq!(Code::parse(&swapped), Err(CodeError::Mistyped), "{} → {swapped}", code.canonical());
                }
            }
        }
        // The check symbol swapped with its neighbour, on a sample code.
        let code = sample();
        let mut swapped = code.0;
        swapped.swap(RANDOM_SYMBOLS - 1, RANDOM_SYMBOLS);
        if swapped != code.0 {
            assert_eq!(Code::parse(std::str::from_utf8(&swapped).unwrap()), Err(CodeError::Mistyped));
        }
    }

    #[test]
    fn a_code_is_read_in_any_case_with_spaces_and_dashes() {
        let code = sample();
        let display = code.display();
        for typed in [
            display.clone(),
            display.to_lowercase(),
            code.canonical().to_owned(),
            format!(" {} ", display.replace('-', " ")),
            display.chars().flat_map(|c| [c, '-']).collect::<String>(),
        ] {
            assert_eq!(Code::parse(&typed), Ok(code.clone()), "{typed:?}");
        }
    }

    #[test]
    fn unknown_symbols_wrong_lengths_and_mistypes_have_their_own_reasons() {
        assert_eq!(Code::parse("OOOOO-OOOOO"), Err(CodeError::UnknownSymbol));
        assert_eq!(Code::parse("ABCDE-1BCDE"), Err(CodeError::UnknownSymbol));
        assert_eq!(Code::parse("ÅBCDE-ABCDE"), Err(CodeError::UnknownSymbol));
        assert_eq!(Code::parse(""), Err(CodeError::WrongLength));
        assert_eq!(Code::parse("ABCDE-ABCD"), Err(CodeError::WrongLength));
        assert_eq!(Code::parse("ABCDE-ABCDEF"), Err(CodeError::WrongLength));
    }

    #[test]
    fn the_fingerprint_is_a_keyed_mac_never_the_plain_sha256() {
        let code = sample();
        let key = ServiceKey::generate().unwrap();
        let fingerprint = code.fingerprint(&key);
        assert_eq!(fingerprint.len(), 64);
        assert_eq!(Code::parse(&code.display().to_lowercase()).unwrap().fingerprint(&key), fingerprint);
        let plain: String =
            Sha256::digest(code.canonical().as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
        assert_ne!(fingerprint, plain, "a copy of the database cannot be searched without the key");
        assert_eq!(fingerprint, key.fingerprint_of_digest(&plain), "a stored SHA-256 is rekeyed to the same value");
        assert_ne!(fingerprint, code.fingerprint(&ServiceKey::generate().unwrap()), "another key, another value");
        assert!(!fingerprint.contains(&code.canonical().to_lowercase()));
        assert_eq!(format!("{code:?}"), "Code(…)", "a debug print never shows the code");
    }

    #[test]
    fn a_batch_request_takes_4_times_min_report_n_to_1000_codes_and_a_label_of_1_to_100_characters() {
        assert_eq!(
            BatchRequest::parse(" 40 ", " Mottagningen ", 5),
            Ok(BatchRequest { size: 40, label: "Mottagningen".into() })
        );
        assert!(BatchRequest::parse("1000", &"å".repeat(100), 5).is_ok());
        assert!(BatchRequest::parse("12", "x", 3).is_ok(), "4 × 3");
        for size in ["0", "1001", "-1", "ten", ""] {
            assert_eq!(
                BatchRequest::parse(size, "x", 5),
                Err(BatchRefused(vec![BatchError::Size { least: 20 }])),
                "{size:?}"
            );
        }
        for (size, min_report_n, least) in [("1", 5, 20), ("19", 5, 20), ("11", 3, 12), ("399", 100, 400)] {
            let refused = BatchRefused(vec![BatchError::TooFew { least }]);
            assert_eq!(BatchRequest::parse(size, "x", min_report_n), Err(refused), "{size} for {min_report_n}");
        }
        for label in ["", "   ", &"x".repeat(101), "a\nb"] {
            assert_eq!(BatchRequest::parse("20", label, 5), Err(BatchRefused(vec![BatchError::Label])), "{label:?}");
        }
        let both = BatchRequest::parse("2", "", 5).unwrap_err();
        assert_eq!(both.0, [BatchError::TooFew { least: 20 }, BatchError::Label], "every problem at once");
        assert!(both.to_string().contains("at least 20 codes"), "{both}");
    }

    #[test]
    fn ten_thousand_codes_across_ten_batches_are_all_different() {
        let request = BatchRequest::parse("1000", "x", 5).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10 {
            for code in request.generate().unwrap() {
                assert!(seen.insert(code.canonical().to_owned()), "{} came twice", code.canonical());
            }
        }
        assert_eq!(seen.len(), 10_000);
    }

    #[test]
    fn the_csv_has_a_code_and_its_link_per_line_and_no_formula() {
        let code = sample();
        let mut out = Vec::new();
        write_csv("https://enkat.example.org/", "nexus", std::slice::from_ref(&code), &mut out).unwrap();
        let expected = format!("code,url\n{0},https://enkat.example.org/s/nexus?kod={0}\n", code.display());
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        let mut out = Vec::new();
        write_csv("=cmd", "nexus", &[code], &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains(",'=cmd/s/nexus?kod="), "a formula is neutralised");
    }

    #[test]
    fn a_batch_has_as_many_distinct_codes_as_asked() {
        let codes = BatchRequest::parse("1000", "x", 5).unwrap().generate().unwrap();
        let distinct: std::collections::HashSet<_> = codes.iter().map(Code::canonical).collect();
        assert_eq!(distinct.len(), 1000);
    }
}
