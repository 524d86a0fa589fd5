//! Reaching respondents at the right time and in the right way: whether a
//! questionnaire takes answers today, kiosk mode for a shared tablet, and the
//! one-time submission token that stores a form sent twice only once.

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::questionnaire::protocol::SUBMISSION_FIELD;
use crate::questionnaire::{FormInput, Questionnaire};
use crate::store::Store;

/// How long a submission token is remembered. Protection against a second
/// send is needed for minutes; keeping the rows longer would only keep more.
pub const SUBMISSION_MEMORY_DAYS: i64 = 30;

/// A form's one-time submission token: 128 random bits, in hex. It is made
/// fresh for every form started (the start page's button), travels in the
/// form's hidden fields, is kept nowhere until the form is sent, and says
/// nothing about the person: it is not derived from anything and is linked
/// to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionToken(String);

impl SubmissionToken {
    /// A new token, for a form being started.
    pub fn generate() -> Result<SubmissionToken, getrandom::Error> {
        let mut bytes = [0_u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(SubmissionToken(hex::encode(bytes)))
    }

    /// The token as the form carries it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store records for a token sent with a form: its SHA-256, in
    /// hex, so the table holds nothing a form could be made from. `None`
    /// when the form carried no token (see `submit_response`).
    pub fn hash_of_sent(input: &FormInput) -> Option<String> {
        let sent = input.value(SUBMISSION_FIELD);
        (!sent.is_empty()).then(|| hex::encode(Sha256::digest(sent.as_bytes())))
    }
}

/// Whether a form is in kiosk mode: the questionnaire always is, or the
/// link asked for it (`?kiosk=1`, then carried as `_kiosk=1`).
pub fn is_kiosk(questionnaire: &Questionnaire, asked: &str) -> bool {
    questionnaire.kiosk || asked == "1"
}

/// Forgets old submission tokens when the service starts and then once a
/// day, for as long as the service runs. A failure is logged and tried
/// again the next day: a token kept a day longer harms nobody.
pub fn spawn_forgetting_submissions(store: Store, clock: Clock) {
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
        loop {
            // The first tick is immediate: old rows go when the service starts.
            daily.tick().await;
            let before = clock.today() - time::Duration::days(SUBMISSION_MEMORY_DAYS);
            match store.forget_submissions_before(before).await {
                Ok(forgotten) => tracing::debug!(forgotten, "old submission tokens forgotten"),
                Err(error) => tracing::warn!(%error, "old submission tokens could not be forgotten"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_random_bits_in_hex() {
        let (one, two) = (SubmissionToken::generate().unwrap(), SubmissionToken::generate().unwrap());
        assert_eq!(one.as_str().len(), 32);
        assert!(one.as_str().bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(one, two, "every form gets a token of its own");
    }
}
